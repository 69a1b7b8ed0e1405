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

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Parses decimal text into an integer of `scale` decimal places:
 * parseScaled("0.27819", 6) === 278190n. Rejects exponents, NaN, empty text
 * and more decimals than `scale` (silently dropping digits would lose money).
 */
export function parseScaled(text: string, scale: number): bigint {
  const trimmed = text.trim();
  if (trimmed === '') throw new AmountFormatError(text, 'empty');
  const match = DECIMAL_TEXT.exec(trimmed);
  if (!match) {
    const reason = /e/i.test(trimmed) && !/[a-df-z]/i.test(trimmed) ? 'exponent notation is not accepted' : 'expected digits with an optional decimal point';
    throw new AmountFormatError(text, reason);
  }
  const [, sign, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') throw new AmountFormatError(text, 'no digits');
  if (fraction.length > scale) {
    throw new AmountFormatError(text, `more than ${scale} decimal places`);
  }
  const digits = (whole === '' ? '0' : whole) + fraction.padEnd(scale, '0');
  const value = BigInt(digits);
  return sign === '-' ? -value : value;
}

/**
 * A JSON number's decimal text. JavaScript prints the shortest text that reads
 * back as the same double, which is the text the API sent for every amount of
 * up to 15 significant digits; anything longer, or printed with an exponent, is
 * refused rather than guessed.
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new AmountFormatError(String(value), 'not a finite number');
  const text = String(value);
  if (/e/i.test(text)) throw new AmountFormatError(text, 'exponent notation is not accepted');
  if (text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length > 15) {
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
