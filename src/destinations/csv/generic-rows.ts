import type { RenderedEntry } from '../../rules/index.js';
import { formatCents } from '../../money/index.js';
import { mappedAccount, type AccountMapping } from '../delivery/account-mapping.js';
import { guardFormula } from './formula-guard.js';

/** The project's own format; these columns are a stable contract (DESIGN §5). */
export const GENERIC_COLUMNS = [
  'journal_id',
  'date',
  'account',
  'debit',
  'credit',
  'currency',
  'description',
  'source',
  'source_ref',
] as const;

/** The column a generic export with tax codes adds after GENERIC_COLUMNS (issue 54): each line's code, empty when uncoded. */
export const GENERIC_TAX_COLUMN = 'tax_code';

/** An account of the ledger's chart; the generic format checks the key is charted and prints the key itself. */
export interface ChartAccount {
  name: string;
}

/** source_ref lists up to this many event ids; beyond, the first one and a count. */
const SOURCE_REF_MAX_IDS = 10;

/**
 * The source_ref cell: the entry's event ids separated by spaces, or, for a
 * daily summary of more than ten events, the first id and how many follow:
 * "panel:smm-panel:order:23501:charge (+41 more)". The ledger keeps the full list.
 */
export function sourceRef(eventIds: readonly string[]): string {
  if (eventIds.length <= SOURCE_REF_MAX_IDS) return eventIds.join(' ');
  return `${eventIds[0]!} (+${eventIds.length - 1} more)`;
}

/**
 * One row per line: the ledger account key, the amount in the debit or the
 * credit column with two decimals (cents -156n → credit "1.56"), the line's
 * description or else the entry's.
 */
export function genericRows(
  entry: RenderedEntry,
  chart: AccountMapping<ChartAccount>,
  taxCodes?: readonly (string | undefined)[],
): string[][] {
  const ref = guardFormula(sourceRef(entry.eventIds));
  return entry.lines.map((line, index) => {
    mappedAccount(chart, line.account, entry.id, 'chart');
    const amount = formatCents(line.cents < 0n ? -line.cents : line.cents);
    return [
      guardFormula(entry.id),
      guardFormula(entry.date),
      guardFormula(line.account),
      line.cents > 0n ? amount : '',
      line.cents < 0n ? amount : '',
      guardFormula(line.currency),
      guardFormula(line.description ?? entry.description),
      guardFormula(entry.sourceId),
      ref,
      ...(taxCodes === undefined ? [] : [guardFormula(taxCodes[index] ?? '')]),
    ];
  });
}
