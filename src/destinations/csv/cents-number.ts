import { formatCents, numberText, parseScaled } from '../../money/index.js';

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
  if (parseScaled(numberText(value), 2) !== cents) throw new RangeError(`${text} cannot be sent exactly as a JSON number`);
  return value;
}
