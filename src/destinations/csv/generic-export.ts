import type { Writable } from 'node:stream';
import type { BookLineRow } from '../../ledger/index.js';
import { formatCents } from '../../money/index.js';
import { mappedAccount, type AccountMapping } from '../delivery/account-mapping.js';
import { CsvOutput } from './csv-output.js';
import { assertDeliverableDate, unbalancedError, zeroLineError } from '../delivery/deliverable-entry.js';
import type { ExportCsvResult } from './export-csv.js';
import { GENERIC_COLUMNS, sourceRef, type ChartAccount } from './generic-rows.js';
import { guardFormula } from './formula-guard.js';

interface ExportGenericOptions {
  /** The ledger's rendered lines in book order, a chunk at a time (Ledger.bookLineChunks). */
  chunks: AsyncIterable<readonly BookLineRow[]>;
  out: Writable;
  chart: AccountMapping<ChartAccount>;
  /** End `out` when the export is complete (default true); pass false for process.stdout. */
  endOut?: boolean;
}

/** The entry whose lines are being read: its cells written once, its checks kept until its last line. */
interface OpenEntry {
  id: string;
  /** The row's journal_id and date cells. */
  idCell: string;
  dateCell: string;
  /** The entry's description, for a line without its own, and its source and source_ref cells. */
  descriptionCell: string;
  sourceCell: string;
  refCell: string;
  rows: string[][];
  lines: number;
  currency: string | undefined;
  net: bigint;
  /** Nets in any currency after the first: an entry in one currency never makes this map. */
  otherNets: Map<string, bigint> | undefined;
  zeroLine: { index: number; account: string } | undefined;
  unmappedAccount: string | undefined;
}

/**
 * The generic CSV export as exportCsv writes it, byte for byte and with the same refusals, from the ledger's
 * rows as they come: no entry or line object per row, the cells an entry shares guarded once, one write per
 * chunk of rows (csv-stringify's text of them, CsvOutput). An entry is written only after its last line passed the checks (assertDeliverable's,
 * then the chart's), so a refusal leaves exactly the entries before it written, as exportCsv does.
 * Example: rows (je:1, 2026-03-02, smm_services_expense, 156) and (je:1, …, panel_prepaid, −156) write
 * "je:1,2026-03-02,smm_services_expense,1.56,,USD,…" and "je:1,2026-03-02,panel_prepaid,,1.56,USD,…".
 */
export async function exportGenericCsv(options: ExportGenericOptions): Promise<ExportCsvResult> {
  const { out, chart } = options;
  const written: ExportCsvResult = { entries: 0, lines: 0 };
  const charted = new Set<string>();
  const cells = new Map<string, string>();
  const cellOf = (text: string): string => {
    let cell = cells.get(text);
    if (cell === undefined) cells.set(text, (cell = guardFormula(text)));
    return cell;
  };
  const output = new CsvOutput(out, options.endOut ?? true, GENERIC_COLUMNS);
  let entry: OpenEntry | undefined;
  // Book order keeps a day's entries together: each date is checked once, not once per entry.
  let checkedDate: string | undefined;
  const closeEntry = (): void => {
    if (entry === undefined) return;
    assertDelivered(entry, chart);
    for (const row of entry.rows) output.add(row);
    written.entries += 1;
    written.lines += entry.lines;
    entry = undefined;
  };
  try {
    for await (const chunk of options.chunks) {
      for (const [id, date, sourceId, description, eventIds, account, currency, cents, lineDescription] of chunk) {
        if (entry === undefined || entry.id !== id) {
          closeEntry();
          if (date !== checkedDate) assertDeliverableDate(id, (checkedDate = date));
          entry = openEntry(id, date, sourceId, description, eventIds);
        }
        if (!charted.has(account)) {
          if (Object.hasOwn(chart, account)) charted.add(account);
          else entry.unmappedAccount ??= account;
        }
        addCents(entry, currency, cents, account);
        const amount = formatCents(cents < 0n ? -cents : cents);
        entry.rows.push([
          entry.idCell,
          entry.dateCell,
          cellOf(account),
          cents > 0n ? amount : '',
          cents < 0n ? amount : '',
          cellOf(currency),
          lineDescription === null ? entry.descriptionCell : guardFormula(lineDescription),
          entry.sourceCell,
          entry.refCell,
        ]);
      }
      await output.flush();
    }
    closeEntry();
    await output.flush();
  } catch (error) {
    return output.fail(error);
  }
  await output.end();
  return written;
}

function openEntry(id: string, date: string, sourceId: string, description: string, eventIds: string): OpenEntry {
  return {
    id,
    idCell: guardFormula(id),
    dateCell: guardFormula(date),
    descriptionCell: guardFormula(description),
    sourceCell: guardFormula(sourceId),
    refCell: eventIds === '[]' ? '' : guardFormula(sourceRef(JSON.parse(eventIds) as string[])),
    rows: [],
    lines: 0,
    currency: undefined,
    net: 0n,
    otherNets: undefined,
    zeroLine: undefined,
    unmappedAccount: undefined,
  };
}

function addCents(entry: OpenEntry, currency: string, cents: bigint, account: string): void {
  if (cents === 0n) entry.zeroLine ??= { index: entry.lines, account };
  entry.lines += 1;
  if (entry.currency === undefined || entry.currency === currency) {
    entry.currency = currency;
    entry.net += cents;
    return;
  }
  entry.otherNets ??= new Map();
  entry.otherNets.set(currency, (entry.otherNets.get(currency) ?? 0n) + cents);
}

/** assertDeliverable's checks in its order (a zero line, then each currency's net), then the chart's. */
function assertDelivered(entry: OpenEntry, chart: AccountMapping<ChartAccount>): void {
  if (entry.zeroLine !== undefined) throw zeroLineError(entry.id, entry.zeroLine.index, entry.zeroLine.account);
  if (entry.net !== 0n) throw unbalancedError(entry.id, entry.currency!, entry.net);
  for (const [currency, net] of entry.otherNets ?? []) if (net !== 0n) throw unbalancedError(entry.id, currency, net);
  if (entry.unmappedAccount !== undefined) mappedAccount(chart, entry.unmappedAccount, entry.id, 'chart');
}
