import type { RenderedEntry } from '../../rules/index.js';
import type { RemoteJournal } from '../destination-client.js';
import { QUICKBOOKS_BATCH_MAX_ITEMS, quickbooksDocNumber } from './quickbooks-payload.js';
import { readPostedJournals, readTrialBalance } from './quickbooks-replies.js';
import { QUICKBOOKS_MINOR_VERSION, queryUrl, quoted, read, type QuickbooksSession } from './quickbooks-session.js';
import {
  quickbooksJournalQueryReplySchema,
  quickbooksReadBackReplySchema,
  quickbooksTrialBalanceReplySchema,
} from './quickbooks-wire.js';

/** Journal entries read back per query in a tie-out. */
const READ_BACK_PAGE_SIZE = 100;

/** The journal entries QuickBooks holds for these entries, by their DocNumber: what an earlier run sent. */
export async function findPosted(
  session: QuickbooksSession,
  entries: readonly RenderedEntry[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let start = 0; start < entries.length; start += QUICKBOOKS_BATCH_MAX_ITEMS) {
    const slice = entries.slice(start, start + QUICKBOOKS_BATCH_MAX_ITEMS);
    const byDocNumber = new Map(slice.map((entry) => [quickbooksDocNumber(entry), entry]));
    const list = [...byDocNumber.keys()].map((docNumber) => `'${docNumber}'`).join(', ');
    const query = `select * from JournalEntry where DocNumber in (${list}) maxresults 1000`;
    const reply = await read(
      session,
      'looking up journal entries by DocNumber',
      queryUrl(session, query),
      quickbooksJournalQueryReplySchema,
    );
    for (const journal of reply.QueryResponse.JournalEntry ?? []) {
      const entry = journal.DocNumber === undefined ? undefined : byDocNumber.get(journal.DocNumber);
      if (!entry) continue;
      if (found.has(entry.id))
        session.options.log?.(
          `QuickBooks holds more than one journal entry for ${entry.id}: ${found.get(entry.id)} and ${journal.Id}`,
        );
      else found.set(entry.id, journal.Id);
    }
  }
  return found;
}

/** The journal entries of these ids as QuickBooks holds them, for the tie-out. */
export async function readBack(
  session: QuickbooksSession,
  remoteIds: readonly string[],
): Promise<Map<string, RemoteJournal>> {
  const found = new Map<string, RemoteJournal>();
  for (let start = 0; start < remoteIds.length; start += READ_BACK_PAGE_SIZE) {
    const ids = remoteIds.slice(start, start + READ_BACK_PAGE_SIZE);
    const query = `select * from JournalEntry where Id in (${ids.map((id) => `'${id.replace(/'/g, '')}'`).join(', ')}) maxresults ${READ_BACK_PAGE_SIZE}`;
    const reply = await read(
      session,
      'reading posted journal entries back',
      queryUrl(session, query),
      quickbooksReadBackReplySchema,
    );
    for (const [id, journal] of readPostedJournals(reply)) found.set(id, journal);
  }
  return found;
}

/** Every journal entry dated `from` to `to` (TxnDate, whoever entered it), a page of 100 at a time until a page comes back short. */
export async function journalsDated(
  session: QuickbooksSession,
  from: string,
  to: string,
): Promise<Map<string, RemoteJournal>> {
  const found = new Map<string, RemoteJournal>();
  for (let start = 1; ; start += READ_BACK_PAGE_SIZE) {
    const query = `select * from JournalEntry where TxnDate >= ${quoted(from)} and TxnDate <= ${quoted(to)} orderby Id startposition ${start} maxresults ${READ_BACK_PAGE_SIZE}`;
    const reply = await read(
      session,
      'reading the journal entries of a closed period',
      queryUrl(session, query),
      quickbooksReadBackReplySchema,
    );
    const page = readPostedJournals(reply);
    for (const [id, journal] of page) found.set(id, journal);
    if (page.size < READ_BACK_PAGE_SIZE) return found;
  }
}

/** The trial balance as of `asOf`, each account's balance in cents. */
export async function balances(session: QuickbooksSession, asOf: string): Promise<Map<string, bigint>> {
  const url = `${session.company}/reports/TrialBalance?end_date=${encodeURIComponent(asOf)}&minorversion=${QUICKBOOKS_MINOR_VERSION}`;
  return readTrialBalance(await read(session, 'reading the trial balance', url, quickbooksTrialBalanceReplySchema));
}
