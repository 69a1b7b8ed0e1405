/** The chart's VAT accounts (mappings/default.yaml): the tax owed on sales, and the tax reclaimable on purchases. */
export const VAT_OUTPUT_ACCOUNT = 'vat_output';
export const VAT_INPUT_ACCOUNT = 'vat_input';
const VAT_ACCOUNTS: ReadonlySet<string> = new Set([VAT_OUTPUT_ACCOUNT, VAT_INPUT_ACCOUNT]);

/** Whether `account` is one of the chart's VAT accounts, whose lines are the tax of the line before them. */
function isVatAccount(account: string): boolean {
  return VAT_ACCOUNTS.has(account);
}

/**
 * An entry's lines as a destination takes them (issue 70): each VAT line folded back into the line before it, the
 * coded line it is the tax of, so the destination gets the gross line and splits the tax out itself (a line posted
 * straight to its VAT account would not reach the return). Dr smm_services_expense 10.23, Dr vat_input 2.05 →
 * Dr smm_services_expense 12.28; a reverse charge's two legs fold to nothing. An entry booked before the ledger
 * booked tax has no VAT line and comes back as it is.
 */
export function foldTaxLines<Line extends { account: string; cents: bigint }>(
  lines: readonly Line[],
): { lines: Line[]; folded: boolean } {
  const out: Line[] = [];
  let folded = false;
  for (const line of lines) {
    const previous = out.at(-1);
    if (isVatAccount(line.account) && previous !== undefined && !isVatAccount(previous.account)) {
      out[out.length - 1] = { ...previous, cents: previous.cents + line.cents };
      folded = true;
    } else out.push(line);
  }
  return { lines: out, folded };
}

/** `entry` with its VAT lines folded into their lines (foldTaxLines): what a destination's journal is made from. */
export function foldedEntry<Entry extends { lines: readonly { account: string; cents: bigint }[] }>(
  entry: Entry,
): Entry {
  return { ...entry, lines: foldTaxLines(entry.lines).lines };
}
