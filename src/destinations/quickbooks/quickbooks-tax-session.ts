import { z } from 'zod';
import { readJson } from '../../http/index.js';
import { foldedEntry, type RenderedEntry } from '../../rules/index.js';
import type { DestinationClientDependencies } from '../destination-client-options.js';
import {
  quickbooksLineTaxes,
  quickbooksTaxDifferences,
  type QuickbooksLineTax,
  type QuickbooksTaxCodeFact,
  type QuickbooksTaxSetup,
} from './quickbooks-tax.js';

/** What of a client's session coding lines reads: the mapping's tax setup and the company's codes once read. */
interface QuickbooksTaxSession {
  options: Pick<DestinationClientDependencies, 'log' | 'redact'> & { tax?: QuickbooksTaxSetup | undefined };
  taxCodes: readonly QuickbooksTaxCodeFact[] | undefined;
}

/** Each line's tax code and tax, once the company's codes are read; undefined (nothing coded) otherwise. */
export function lineTaxesOf(
  session: QuickbooksTaxSession,
): (entry: RenderedEntry) => (QuickbooksLineTax | undefined)[] | undefined {
  const { tax } = session.options;
  return (entry) =>
    tax === undefined || session.taxCodes === undefined
      ? undefined
      : quickbooksLineTaxes(foldedEntry(entry), tax, session.taxCodes);
}

/** The tax QuickBooks stored on each created entry against the ledger's, each difference logged (issue 54's tie-out at the post). */
export function logTaxDifferences(
  session: QuickbooksTaxSession,
  entries: readonly RenderedEntry[],
  bodyText: string,
): void {
  if (session.taxCodes === undefined) return;
  const parsed = readJson(bodyText);
  const reply = z
    .object({
      BatchItemResponse: z.array(z.object({ bId: z.string(), JournalEntry: z.unknown().optional() })).optional(),
    })
    .safeParse(parsed.ok ? parsed.value : undefined);
  for (const item of reply.success ? (reply.data.BatchItemResponse ?? []) : []) {
    const entry = entries[Number(item.bId) - 1];
    const expected = entry === undefined ? undefined : lineTaxesOf(session)(entry);
    if (entry === undefined || expected === undefined || item.JournalEntry === undefined) continue;
    for (const difference of quickbooksTaxDifferences(entry.id, item.JournalEntry, expected))
      session.options.log?.(session.options.redact(difference));
  }
}
