import { formatCents } from '../../../../src/money/index.js';
import type { RenderedEntry } from '../../../../src/rules/index.js';

/**
 * One journal entry as a line of JSON, for a warehouse that loads newline-delimited JSON: the amounts as decimal
 * text, never a float (a debit positive, a credit negative), the entry's id kept so a reload replaces rather than
 * adds. Example: a spend of 1.01 → {"id":"…","date":"2024-02-03","lines":[{"account":"smm_services_expense","currency":"USD",
 * "amount":"1.01"},{"account":"panel_prepaid","currency":"USD","amount":"-1.01"}],…}.
 */
export function jsonLinesRecord(entry: RenderedEntry): string {
  return JSON.stringify({
    id: entry.id,
    date: entry.date,
    source: entry.sourceId,
    memo: entry.description,
    lines: entry.lines.map((line) => ({
      account: line.account,
      currency: line.currency,
      amount: formatCents(line.cents),
    })),
  });
}
