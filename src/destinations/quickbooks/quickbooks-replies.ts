import type { z } from 'zod';
import { isCalendarDate } from '../../calendar/index.js';
import { InvalidReplyError, OutcomeUnknownError } from '../../errors.js';
import { readJson, readWire } from '../../http/index.js';
import { parseScaled } from '../../money/index.js';
import { reportCellCents } from '../delivery/cents-number.js';
import type { RenderedEntry } from '../../rules/index.js';
import type { RemoteJournal, RemoteLine, RemoteTax } from '../destination-client.js';
import { sumByAccount } from '../entry-conversion.js';
import { chainWitness } from '../journal-narration.js';
import type { QuickbooksListEntry } from './quickbooks-organisation-checks.js';
import { quickbooksBatchItemId } from './quickbooks-payload.js';
import {
  quickbooksBatchReplySchema,
  quickbooksFaultReplySchema,
  quickbooksListEntrySchema,
  type quickbooksListQueryReplySchema,
  type quickbooksPreferencesReplySchema,
  type quickbooksReadBackReplySchema,
  type quickbooksTrialBalanceReplySchema,
  type QuickbooksFault,
} from './quickbooks-wire.js';

/** Pure readers of QuickBooks replies: text or parsed JSON in, ledgerline's values (or the error naming what was wrong) out. */

/** A reply body as `schema`, or InvalidReplyError naming the call and the field. */
export function readQuickbooksReply<S extends z.ZodType>(bodyText: string, schema: S, what: string): z.output<S> {
  const parsed = readJson(bodyText);
  if (!parsed.ok) throw new InvalidReplyError('QuickBooks', what, parsed.reason);
  const read = readWire(schema, parsed.value);
  if (!read.ok) throw new InvalidReplyError('QuickBooks', what, read.reason);
  return read.value;
}

/** A Fault as the reply to a whole request (HTTP 200 or 400), or undefined when the reply carries none. */
export function quickbooksWholeFault(bodyText: string): QuickbooksFault | undefined {
  const parsed = readJson(bodyText);
  if (!parsed.ok) return undefined;
  const fault = quickbooksFaultReplySchema.safeParse(parsed.value);
  return fault.success ? fault.data.Fault : undefined;
}

/** The books' close date from Preferences ("2024-01-31" of "2024-01-31T00:00:00-08:00"); undefined when none is set. */
export function readBookCloseDate(
  preferences: z.output<typeof quickbooksPreferencesReplySchema>['Preferences'],
): string | undefined {
  const date = preferences.AccountingInfoPrefs?.BookCloseDate?.slice(0, 10);
  if (date !== undefined && date !== '' && !isCalendarDate(date)) {
    throw new InvalidReplyError('QuickBooks', 'GET preferences', `BookCloseDate ${JSON.stringify(date)} is not a date`);
  }
  return date === '' ? undefined : date;
}

/** The id and name of each readable row of a list query; Customer and Vendor go by DisplayName. */
export function readListEntries(
  reply: z.output<typeof quickbooksListQueryReplySchema>,
  entity: string,
): QuickbooksListEntry[] {
  const rows = reply.QueryResponse[entity];
  return (Array.isArray(rows) ? rows : []).flatMap((row) => {
    const entry = quickbooksListEntrySchema.safeParse(row);
    const name = entry.success ? (entry.data.DisplayName ?? entry.data.Name) : undefined;
    return entry.success && name !== undefined ? [{ id: entry.data.Id, name }] : [];
  });
}

/** Journal entries read back: each one's lines summed by account, credits negative, in cents. */
export function readPostedJournals(reply: z.output<typeof quickbooksReadBackReplySchema>): Map<string, RemoteJournal> {
  const found = new Map<string, RemoteJournal>();
  for (const journal of reply.QueryResponse.JournalEntry ?? []) {
    const lines: RemoteLine[] = journal.Line.flatMap((line) => {
      const detail = line.JournalEntryLineDetail;
      if (!detail || line.Amount === undefined) return [];
      const cents = parseScaled(line.Amount, 2);
      return [{ account: detail.AccountRef.value, cents: detail.PostingType === 'Credit' ? -cents : cents }];
    });
    found.set(journal.Id, {
      state: 'present',
      lines: sumByAccount(lines),
      witness: chainWitness(journal.PrivateNote),
      taxes: lineTaxes(journal.Line),
    });
  }
  return found;
}

/**
 * Each coded line's TaxAmount and Amount (its base) under its TaxCodeRef, signed by its PostingType (QuickBooks stores the magnitude): a
 * credit of 120.00 holding 20.00 of "20.0% S" → { code: "5", name: "20.0% S", cents: −2000n }.
 */
function lineTaxes(lines: readonly ReadBackLine[]): RemoteTax[] {
  return lines.flatMap(({ JournalEntryLineDetail: detail, Amount: amount }) => {
    if (detail?.TaxCodeRef === undefined) return [];
    const sign = detail.PostingType === 'Credit' ? -1n : 1n;
    const cents = sign * parseScaled(detail.TaxAmount ?? '0', 2);
    const base = amount === undefined ? {} : { baseCents: sign * parseScaled(amount, 2) };
    return [{ code: detail.TaxCodeRef.value, name: detail.TaxCodeRef.name, cents, ...base }];
  });
}

type ReadBackLine = NonNullable<
  z.output<typeof quickbooksReadBackReplySchema>['QueryResponse']['JournalEntry']
>[number]['Line'][number];

/** The trial balance as debit minus credit in cents per account id ("1,234.50" debit → 123450n); the total row is left out. */
export function readTrialBalance(report: z.output<typeof quickbooksTrialBalanceReplySchema>): Map<string, bigint> {
  const balances = new Map<string, bigint>();
  for (const row of report.Rows.Row) {
    const [account, debit, credit] = row.ColData ?? [];
    if (account?.id === undefined) continue;
    balances.set(account.id, reportCellCents(debit?.value) - reportCellCents(credit?.value));
  }
  return balances;
}

/** What a carried-out batch said of each entry: its journal's id, or the Fault of its item. */
type BatchItemReading = { entry: RenderedEntry; journalId: string } | { entry: RenderedEntry; fault: QuickbooksFault };

/**
 * The items of a BatchItemResponse, matched to the entries by bId ("1", "2" … in the order sent). The batch was
 * carried out, so a reply that cannot be read leaves the outcome unknown (OutcomeUnknownError), never refused.
 */
export function readBatchItems(entries: readonly RenderedEntry[], bodyText: string, what: string): BatchItemReading[] {
  const parsed = readJson(bodyText);
  const batch = parsed.ok ? quickbooksBatchReplySchema.safeParse(parsed.value) : undefined;
  if (!batch?.success) throw new OutcomeUnknownError('QuickBooks', what, 'the reply is not a BatchItemResponse');
  const items = batch.data.BatchItemResponse;
  return entries.map((entry, index) => {
    const item = items.find((candidate) => candidate.bId === quickbooksBatchItemId(index));
    if (!item) throw new OutcomeUnknownError('QuickBooks', what, `the reply has no item for entry ${entry.id}`);
    return item.JournalEntry
      ? { entry, journalId: item.JournalEntry.Id }
      : { entry, fault: item.Fault ?? { Error: [] } };
  });
}
