import { baseCents, type Conversion, type DestinationClient } from '../destinations/index.js';
import { formatCents } from '../money/index.js';
import { foldedEntry, ledgerLineTaxes, type RenderedEntry } from '../rules/index.js';
import type { TieOutItem } from './destination-tie-out.js';

type HeldJournal = Awaited<ReturnType<DestinationClient['readBack']>> extends Map<string, infer J> ? J : never;

/** One code's tax in one period (YYYY-MM): the ledger's and the destination's, signed debit positive, decimal text. */
interface TaxTieOutRow {
  period: string;
  code: string;
  /** Coded lines of the ledger's entries. */
  lines: number;
  ledger: string;
  destination: string;
}

/** The tax side of `reconcile --with`: per period and code, and the journals whose tax differs. */
export interface TaxTieOut {
  rows: TaxTieOutRow[];
  items: TieOutItem[];
  /** Codes whose mapping rule gives no `rate:`, so the ledger computes no tax for them and they are not compared. */
  unrated: string[];
}

/** A posted entry with its journal read back. */
interface PostedJournal {
  entry: RenderedEntry;
  remoteId: string;
  held: HeldJournal | undefined;
  /** The rate the journal went out at, when the destination keeps it in its base currency (Xero): its tax is worked there. */
  conversion?: Conversion | undefined;
}

/**
 * The tax tie-out (issue 54): the ledger's tax on each coded line (ledgerLineTaxes: the code and rate the line was
 * booked with, issue 82, and the tax at that rate) summed per journal and code, against the tax the destination stores on the journal read back
 * (Xero's lines' TaxAmount, QuickBooks' lines' TaxAmount under their TaxCodeRef, which its TxnTaxDetail totals).
 * A journal whose figure differs for a code is a tax_differs_at_destination item naming the journal, the code and
 * both figures, and so is one whose coded lines' amount (their base) differs (baseItems); the rows sum the tax per
 * period and code. Undefined when the destination codes no line.
 * Example: entry je:smm-panel:2026-03-16, INPUT2 at 20 %: Dr 150.56 → the ledger 25.09; Xero stores 25.10 → an item.
 */
export async function taxTieOut(
  client: DestinationClient,
  journals: readonly PostedJournal[],
): Promise<TaxTieOut | undefined> {
  const setup = await client.taxSetup?.();
  if (setup === undefined) return undefined;
  const rows = new Map<string, { period: string; code: string; lines: number; ledger: bigint; destination: bigint }>();
  const items: TieOutItem[] = [];
  const unrated = new Set<string>();
  const ruleCodes = new Set(Object.values(setup.flows).flatMap((rules) => (rules ?? []).map((rule) => rule.code)));
  for (const { entry, remoteId, held, conversion } of journals) {
    if (held?.state !== 'present') continue;
    const ledger = ledgerByCode(ledgerLineTaxes(asSent(entry, conversion), setup.chart, setup.flows), unrated);
    const stored = storedByCode(held.taxes ?? [], ledger);
    items.push(...baseItems(client, { entry, remoteId }, ledger, storedBases(held.taxes ?? [], ledger), ruleCodes));
    for (const code of [...new Set([...ledger.keys(), ...stored.keys()])].sort()) {
      if (unrated.has(code)) continue;
      const own = ledger.get(code) ?? { lines: 0, cents: 0n, base: 0n };
      const found = stored.get(code) ?? 0n;
      if (own.lines === 0 && found === 0n) continue;
      const key = `${entry.date.slice(0, 7)} ${code}`;
      const row = rows.get(key) ?? { period: entry.date.slice(0, 7), code, lines: 0, ledger: 0n, destination: 0n };
      rows.set(key, {
        ...row,
        lines: row.lines + own.lines,
        ledger: row.ledger + own.cents,
        destination: row.destination + found,
      });
      if (found !== own.cents) items.push(taxItem(client, { entry, remoteId, code }, own.cents, found));
    }
  }
  return {
    rows: [...rows.values()]
      .sort((a, b) => (a.period === b.period ? a.code.localeCompare(b.code) : a.period < b.period ? -1 : 1))
      .map((row) => ({ ...row, ledger: formatCents(row.ledger), destination: formatCents(row.destination) })),
    items,
    unrated: [...unrated].sort(),
  };
}

/**
 * The entry as its journal was sent (issue 70): VAT lines folded into their lines, then converted exactly as the
 * journal was (baseCents), so the ledger's tax is worked on the amount the destination works it on. Example: a USD
 * 15.56 INPUT2 line sent to a GBP organisation at 0.79 is 12.29, whose tax at 20 % is 2.05, not 15.56's 2.59.
 */
function asSent(entry: RenderedEntry, conversion: Conversion | undefined): RenderedEntry {
  const folded = foldedEntry(entry);
  if (conversion === undefined) return folded;
  const cents = baseCents(folded, conversion);
  const lines = folded.lines.map((line, index) => ({ ...line, cents: cents[index] ?? 0n }));
  return { ...folded, lines: lines.filter((line) => line.cents !== 0n) };
}

/** The ledger's coded lines summed per code; a code with a line whose rule gives no rate goes to `unrated`. */
function ledgerByCode(
  taxes: ReturnType<typeof ledgerLineTaxes>,
  unrated: Set<string>,
): Map<string, { lines: number; cents: bigint; base: bigint }> {
  const byCode = new Map<string, { lines: number; cents: bigint; base: bigint }>();
  for (const tax of taxes) {
    if (tax.taxCents === undefined) unrated.add(tax.code);
    const sum = byCode.get(tax.code) ?? { lines: 0, cents: 0n, base: 0n };
    byCode.set(tax.code, {
      lines: sum.lines + 1,
      cents: sum.cents + (tax.taxCents ?? 0n),
      base: sum.base + tax.cents,
    });
  }
  return byCode;
}

/** The destination's coded lines' amounts summed per code (as storedByCode), for the codes whose reply gives them. */
function storedBases(
  taxes: readonly { code: string; name?: string | undefined; baseCents?: bigint | undefined }[],
  ledger: ReadonlyMap<string, unknown>,
): Map<string, bigint> {
  const byCode = new Map<string, bigint>();
  for (const tax of taxes) {
    if (tax.baseCents === undefined) continue;
    const code = !ledger.has(tax.code) && tax.name !== undefined && ledger.has(tax.name) ? tax.name : tax.code;
    byCode.set(code, (byCode.get(code) ?? 0n) + tax.baseCents);
  }
  return byCode;
}

/**
 * The base tie-out (issue 82): per journal and code, the amount of the lines the ledger codes against the amount the
 * destination holds under that code, a reverse charge's too (its tax is 0.00 both sides, so only its base can
 * differ). A code the ledger's rules write is compared even where the ledger codes no line of the journal; the
 * destination's untaxed code (NONE) is not. Example: entry je:smm-panel:2026-04-01 reverse-charged, Dr 3.32 in the
 * ledger; Xero holds 410 +3.32 REVERSECHARGES and −3.32 NONE → REVERSECHARGES 3.32 both sides, no item; Xero holds
 * +3.32 and +3.32 → an item, 3.32 in the ledger, 6.64 at Xero.
 */
function baseItems(
  client: DestinationClient,
  journal: { entry: RenderedEntry; remoteId: string },
  ledger: ReadonlyMap<string, { lines: number; base: bigint }>,
  stored: ReadonlyMap<string, bigint>,
  ruleCodes: ReadonlySet<string>,
): TieOutItem[] {
  const items: TieOutItem[] = [];
  for (const [code, found] of [...stored].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const own = ledger.get(code);
    if (own === undefined && !ruleCodes.has(code)) continue;
    const base = own?.base ?? 0n;
    if (base === found) continue;
    const item = taxItem(client, { ...journal, code }, base, found);
    items.push({
      ...item,
      message:
        `${client.name} journal ${journal.remoteId} for entry ${journal.entry.id} (${journal.entry.date}) holds ` +
        `${formatCents(found)} of lines under ${code}; the ledger booked ${formatCents(base)} under it: its ` +
        `return would count ${formatCents(found - base)} more in its boxes; correct the journal at ${client.name}`,
    });
  }
  return items;
}

/** The destination's coded lines summed per code, a code known by its id or its name as the mapping writes it. */
function storedByCode(
  taxes: readonly { code: string; name?: string | undefined; cents: bigint }[],
  ledger: ReadonlyMap<string, unknown>,
): Map<string, bigint> {
  const byCode = new Map<string, bigint>();
  for (const tax of taxes) {
    const code = !ledger.has(tax.code) && tax.name !== undefined && ledger.has(tax.name) ? tax.name : tax.code;
    byCode.set(code, (byCode.get(code) ?? 0n) + tax.cents);
  }
  return byCode;
}

function taxItem(
  client: DestinationClient,
  journal: { entry: RenderedEntry; remoteId: string; code: string },
  ledger: bigint,
  found: bigint,
): TieOutItem {
  const { entry, remoteId, code } = journal;
  return {
    kind: 'tax_differs_at_destination',
    source: client.kind,
    date: entry.date,
    amount: formatCents(ledger),
    currency: client.baseCurrency,
    ref: entry.id,
    remoteId,
    ledger: formatCents(ledger),
    destination: formatCents(found),
    message:
      `${client.name} journal ${remoteId} for entry ${entry.id} (${entry.date}) holds ${formatCents(found)} ` +
      `of ${code} tax; the ledger computes ${formatCents(ledger)} at the mapping's rate: check the ` +
      `rate of ${code} at ${client.name} and in the mapping before the return is filed`,
  };
}

/** The rows as `reconcile --with` prints them: "tax 2026-03 OUTPUT2: ledger 20.00, Xero 20.00 (3 lines)". */
export function renderTaxRows(name: string, tax: Pick<TaxTieOut, 'rows' | 'unrated'>): string {
  const lines = tax.rows.map(
    (row) =>
      `tax ${row.period} ${row.code}: ledger ${row.ledger}, ${name} ${row.destination} (${row.lines} ` +
      `line${row.lines === 1 ? '' : 's'})${row.ledger === row.destination ? '' : '  DIFFERS'}`,
  );
  if (tax.unrated.length > 0)
    lines.push(`tax not tied out for ${tax.unrated.join(', ')}: give each rule its rate: in the mapping's tax section`);
  return lines.map((line) => `${line}\n`).join('');
}
