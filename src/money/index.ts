export { AmountFormatError, formatScaled, numberText, parseScaled, roundScaled } from './decimal.js';
export { divideHalfEven, rescaleHalfEven } from './rounding.js';
export {
  MICRO_SCALE,
  MICROS_PER_UNIT,
  absMicros,
  formatCents,
  formatMicros,
  parseMicros,
  readMicros,
  roundMicros,
  sumMicros,
  toCents,
} from './money.js';
export { proRata } from './pro-rata.js';
export { allocate } from './allocate.js';
export { parseJsonExact } from './exact-json.js';
export { cumulativeCents } from './cumulative-cents.js';
export { RATE_SCALE, convertCents, parseRate } from './convert-cents.js';
