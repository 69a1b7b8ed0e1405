export { AmountFormatError, formatScaled, numberText, parseScaled, roundScaled } from './decimal.js';
export { divideHalfEven, rescaleHalfEven } from './decimal.js';
export {
  MICRO_SCALE,
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
export { parseJsonExact } from './decimal.js';
export { cumulativeCents } from './money.js';
export { RATE_SCALE, convertCents, convertEachCents, parseRate } from './convert-cents.js';
export { currencyDecimals } from './currency-decimals.js';
