import type { RenderedLine } from '../../rules/index.js';

/**
 * Which of an entry's lines a destination leaves out: every line of a group whose cents net to zero, a group being
 * the lines with one key (the account, code and analysis the destination books the line to, and the code the ledger
 * booked it with). Example (issue 82): a replay's reclassification Cr smm_order_costs 0.05 and Dr
 * smm_services_expense 0.05, both reverse-charged and both at Xero's 410 REVERSECHARGES → both left out, so the
 * destination receives nothing of it; 410 REVERSECHARGES +0.05 beside 410 NONE −0.05 is sent as it is.
 */
export function nettedAway(lines: readonly RenderedLine[], destinationKeys: readonly string[]): boolean[] {
  const keys = lines.map((line, index) =>
    JSON.stringify([destinationKeys[index], line.currency, line.tax?.code ?? null, line.tax?.reverseCharge ?? null]),
  );
  const nets = new Map<string, bigint>();
  lines.forEach((line, index) => nets.set(keys[index]!, (nets.get(keys[index]!) ?? 0n) + line.cents));
  return keys.map((key) => nets.get(key) === 0n);
}

/** The entry without the lines a destination leaves out (nettedAway), and each kept line's own value of `perLine`. */
export function withoutNetted<Entry extends { lines: readonly RenderedLine[] }, Value>(
  entry: Entry,
  away: readonly boolean[],
  perLine: readonly Value[] | undefined,
): { entry: Entry; perLine: Value[] | undefined } {
  return {
    entry: { ...entry, lines: entry.lines.filter((_, index) => !away[index]) },
    perLine: perLine?.filter((_, index) => !away[index]),
  };
}
