import { formatCents, numberText, parseRate, parseScaled, RATE_SCALE } from '../../money/index.js';

/**
 * Cents as the JSON number an SDK request body needs: xero-node serialises
 * lineAmount as a number and QuickBooks' Amount is one. This is the one place
 * money becomes a double. It is built from the exact decimal text
 * (-1234n → "-12.34" → -12.34) and read back through the money module, so a
 * value that would not print back as exactly the same cents (beyond 15
 * significant digits) is refused instead of sent.
 */
export function centsAsJsonNumber(cents: bigint): number {
  const text = formatCents(cents);
  const value = Number(text);
  if (parseScaled(numberText(value), 2) !== cents)
    throw new RangeError(`${text} cannot be sent exactly as a JSON number`);
  return value;
}

/**
 * Cents from a JSON number an SDK has already parsed into a double (xero-node
 * reads replies with JSON.parse): the double is printed back as the shortest
 * text that reads as it ("15.02") and that text is parsed exactly, so 15.02
 * is 1502n and never 1501.9999…; more than two decimals is refused.
 */
export function centsFromJsonNumber(value: number): bigint {
  return parseScaled(numberText(value), 2);
}

/** An exchange rate as the JSON number QuickBooks' ExchangeRate is, refused unless it reads back as exactly the same rate ("1.0825" → 1.0825). */
export function rateAsJsonNumber(rate: string): number {
  const value = Number(rate);
  if (parseScaled(numberText(value), RATE_SCALE) !== parseRate(rate))
    throw new RangeError(`rate ${rate} cannot be sent exactly as a JSON number`);
  return value;
}

/** A trial balance report's cell in cents, thousands separators and all ("1,234.50" → 123450n); an empty cell is 0. */
export function reportCellCents(text: string | undefined): bigint {
  return text === undefined || text === '' ? 0n : parseScaled(text.replace(/,/g, ''), 2);
}
