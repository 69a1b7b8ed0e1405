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

/**
 * Half-even ("banker's") rounding on integers. It is the rounding accountants
 * expect for cumulative totals: halves go to the even neighbour, so a long run
 * of .5 cases does not drift upward.
 */

/** numerator ÷ denominator rounded half-even: divideHalfEven(5n, 2n) === 2n, divideHalfEven(7n, 2n) === 4n. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) return divideHalfEven(-numerator, -denominator);
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  const away = numerator < 0n ? quotient - 1n : quotient + 1n;
  if (twice > denominator) return away;
  if (twice < denominator) return quotient;
  return quotient % 2n === 0n ? quotient : away;
}

/**
 * Re-expresses a scaled integer at a coarser scale, half-even:
 * rescaleHalfEven(278195n, 6, 5) === 27820n (0.278195 → 0.27820).
 * A finer target scale multiplies exactly.
 */
export function rescaleHalfEven(value: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return value * powerOfTen(toScale - fromScale);
  return divideHalfEven(value, powerOfTen(fromScale - toScale));
}

/** 10 to the `exponent`, the usual ones built once: rendering cents rescales twice per appended line. */
function powerOfTen(exponent: number): bigint {
  return POWERS_OF_TEN[exponent] ?? 10n ** BigInt(exponent);
}
const POWERS_OF_TEN = Array.from({ length: 19 }, (_, exponent) => 10n ** BigInt(exponent));

/**
 * JSON.parse turns 0.27819 into a double before any code sees it. Replies that
 * carry money go through parseJsonExact instead: every number literal is kept
 * as its decimal text (a string), so amounts are parsed from what the API
 * actually sent and order ids keep their exact digits.
 *
 *   parseJsonExact('{"charge":0.27819,"order":23501}') → { charge: "0.27819", order: "23501" }
 */
const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * In JSON that JSON.parse accepts, a number outside a string is the whole text
 * or sits between `:`, `,` or `[` and `,`, `}` or `]` (JSON whitespace
 * around it). Text matching neither has no number to keep, so JSON.parse's
 * result is already exact; a match inside a string ("12:30,") only costs the
 * exact path.
 */
const NUMBER_VALUE = /[:,[][\t\n\r ]*-?\d[\d.eE+-]*[\t\n\r ]*[,}\]]/;
const NUMBER_TEXT = /^[\t\n\r ]*-?\d/;

export function parseJsonExact(text: string): unknown {
  if (!NUMBER_VALUE.test(text) && !NUMBER_TEXT.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON as it stands: the exact path throws the same error, or reads a bare-number key ({1:"a"}) as it always has.
    }
  }
  return JSON.parse(numbersAsStrings(text));
}

/** The text with every number literal outside a string wrapped in quotes; strings are skipped whole. */
function numbersAsStrings(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x22 /* " */) {
      index = stringEnd(text, index + 1);
      continue;
    }
    if (char === 0x2d /* - */ || (char >= 0x30 && char <= 0x39)) {
      NUMBER_TOKEN.lastIndex = index;
      const match = NUMBER_TOKEN.exec(text);
      if (match !== null) {
        out += text.slice(copiedUpTo, index) + '"' + match[0] + '"';
        index += match[0].length;
        copiedUpTo = index;
        continue;
      }
    }
    index += 1;
  }
  return out + text.slice(copiedUpTo);
}

/**
 * The index after the quote that closes a string whose text starts at `from`
 * (the text's length if none does). A quote is escaped when an odd run of
 * backslashes precedes it; indexOf finds candidates natively instead of a
 * loop over every character of every string.
 */
function stringEnd(text: string, from: number): number {
  for (let quote = text.indexOf('"', from); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c /* \ */) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
  }
  return text.length;
}
