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

/**
 * Parses decimal text into an integer of `scale` decimal places, exactly:
 * parseScaled("0.27819", 6) === 278190n. PHP panels write what they store,
 * so trailing zeros past the scale ("0.4100000") and exponent notation
 * ("1.0e-5", which PHP's json_encode writes for 0.00001) are read as the
 * numbers they are. A figure with non-zero digits past the scale
 * ("0.0435789" at 6) is refused: dropping a digit would lose money.
 */
export function parseScaled(text: string, scale: number): bigint {
  const trimmed = text.trim();
  if (trimmed === '') throw new AmountFormatError(text, 'empty');
  const match = DECIMAL_TEXT.exec(trimmed);
  if (!match) throw new AmountFormatError(text, 'expected digits with an optional decimal point');
  const [, sign, whole = '', fraction = '', exponentText = '0'] = match;
  if (whole === '' && fraction === '') throw new AmountFormatError(text, 'no digits');
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) throw new AmountFormatError(text, `an exponent beyond ±${MAX_EXPONENT}`);
  // The digits as one integer and how many of them follow the point once the exponent is applied.
  const digits = `${whole}${fraction}`;
  const decimals = fraction.length - exponent;
  let value: bigint;
  if (decimals <= scale) {
    value = BigInt(digits) * 10n ** BigInt(scale - decimals);
  } else {
    const kept = digits.slice(0, Math.max(0, digits.length - (decimals - scale)));
    if (/[1-9]/.test(digits.slice(kept.length))) throw new AmountFormatError(text, `more than ${scale} decimal places`);
    value = BigInt(kept || '0');
  }
  return sign === '-' ? -value : value;
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
