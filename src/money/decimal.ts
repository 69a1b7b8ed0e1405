import { divideHalfEven } from './rounding.js';

/**
 * Exact decimal text ⇄ scaled bigint. Money never passes through a float: the
 * text "0.27819" becomes 278190n micro-units by string surgery, not by 0.27819 * 1e6.
 */

/** Thrown for text that is not a plain decimal amount; the message quotes the input. */
export class AmountFormatError extends Error {
  override readonly name = 'AmountFormatError';
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`not an amount: ${JSON.stringify(input)} (${reason})`);
  }
}

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Beyond this an exponent is a typo or an attack, not an amount (the ledger holds up to 9.2e12). */
const MAX_EXPONENT = 40;

/** Decimal text read exactly: the value is `units` × 10^−`decimals` (decimals ≥ 0). */
interface ExactDecimal {
  units: bigint;
  decimals: number;
}

/** "0.0435789" → 435789 × 10^−7; "1.0e-5" → 10 × 10^−6; "1e5" → 100000 × 10^0. */
function readDecimal(text: string): ExactDecimal {
  const trimmed = text.trim();
  if (trimmed === '') throw new AmountFormatError(text, 'empty');
  const match = DECIMAL_TEXT.exec(trimmed);
  if (!match) throw new AmountFormatError(text, 'expected digits with an optional decimal point');
  const [, sign, whole = '', fraction = '', exponentText = '0'] = match;
  if (whole === '' && fraction === '') throw new AmountFormatError(text, 'no digits');
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) throw new AmountFormatError(text, `an exponent beyond ±${MAX_EXPONENT}`);
  // The digits as one integer and how many of them follow the point once the exponent is applied.
  const digits = BigInt(`${whole}${fraction}`);
  const decimals = fraction.length - exponent;
  const units = decimals < 0 ? digits * 10n ** BigInt(-decimals) : digits;
  return { units: sign === '-' ? -units : units, decimals: Math.max(decimals, 0) };
}

/**
 * Parses decimal text into an integer of `scale` decimal places, exactly:
 * parseScaled("0.27819", 6) === 278190n. PHP panels write what they store,
 * so trailing zeros past the scale ("0.4100000") and exponent notation
 * ("1.0e-5", which PHP's json_encode writes for 0.00001) are read as the
 * numbers they are. A figure with non-zero digits past the scale
 * ("0.0435789" at 6) is refused: for figures a person wrote (configuration,
 * cents) a dropped digit is a mistake. Source replies use roundScaled.
 */
export function parseScaled(text: string, scale: number): bigint {
  const { value, exact } = roundScaled(text, scale);
  if (!exact) throw new AmountFormatError(text, `more than ${scale} decimal places`);
  return value;
}

/**
 * Decimal text of any precision at `scale` places, rounded half-even, and
 * whether that was exact: roundScaled("0.0435789", 6) → 43579n, not exact;
 * roundScaled("0.0000005", 6) → 0n (the half goes to the even neighbour).
 * The digits are read as integers, never through a float.
 */
export function roundScaled(text: string, scale: number): { value: bigint; exact: boolean } {
  const { units, decimals } = readDecimal(text);
  if (decimals <= scale) return { value: units * 10n ** BigInt(scale - decimals), exact: true };
  const divisor = 10n ** BigInt(decimals - scale);
  return { value: divideHalfEven(units, divisor), exact: units % divisor === 0n };
}

/**
 * A JSON number's decimal text. JavaScript prints the shortest text that reads
 * back as the same double, which is the text the API sent for every amount of
 * up to 15 significant digits (1e-7 prints as "1e-7", which parseScaled reads);
 * anything longer is refused rather than guessed.
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new AmountFormatError(String(value), 'not a finite number');
  const text = String(value);
  if (text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').length > 15) {
    throw new AmountFormatError(text, 'more than 15 significant digits cannot be read exactly from a JSON number');
  }
  return text;
}

/** formatScaled(278190n, 6) === "0.278190"; with minDecimals 2 trailing zeros are trimmed to "0.27819". */
export function formatScaled(value: bigint, scale: number, minDecimals = scale): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const point = digits.length - scale;
  // Find where the kept fraction ends, then slice once: this formats every amount of every event.
  let end = digits.length;
  while (end - point > minDecimals && digits.charCodeAt(end - 1) === 0x30 /* 0 */) end -= 1;
  const whole = digits.slice(0, point);
  const text = end === point ? whole : `${whole}.${digits.slice(point, end)}`;
  return negative ? `-${text}` : text;
}
