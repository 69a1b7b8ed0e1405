import { createHash } from 'node:crypto';
import { ConfigError, LedgerIntegrityError } from '../../errors.js';
import type { RenderedEntry } from '../../rules/index.js';
import { mappedAccount, type AccountMapping } from '../csv/account-mapping.js';
import { centsAsJsonNumber, rateAsJsonNumber } from '../csv/cents-number.js';
import type { Conversion } from '../destination-client.js';
import { assertDeliverable, singleCurrency } from '../csv/deliverable-entry.js';

/** QuickBooks Online limits (Finance.xsd; Intuit's limits page and requestid post). */
export const QUICKBOOKS_DOC_NUMBER_MAX_LENGTH = 21;
export const QUICKBOOKS_BATCH_MAX_ITEMS = 30;
export const QUICKBOOKS_BATCH_ID_MAX_LENGTH = 10;

/**
 * A QuickBooks list item (class, location, customer, vendor). The CSV import
 * matches it by name; the API refers to it by id, which `post` looks up by
 * name (resolveQuickbooksMapping) unless the mapping gives `{ id, name }`.
 */
export type QuickbooksListItem = string | { id: string; name: string };

/** What the QuickBooks mapping (mappings/quickbooks.yaml) says about one ledger account. */
export interface QuickbooksAccount {
  id: string;
  /** Full name as the CSV import wants it, sub-accounts as "Parent:Sub". */
  name: string;
  class?: QuickbooksListItem;
  /** QuickBooks "Location" (a Department in the API). */
  location?: QuickbooksListItem;
  /** The Customer an Accounts Receivable line names (JournalEntryLineDetail.Entity). */
  customer?: QuickbooksListItem;
  /** The Vendor an Accounts Payable line names. */
  vendor?: QuickbooksListItem;
}

export interface QuickbooksRef {
  value: string;
  name?: string;
}

export const QUICKBOOKS_POSTING_TYPES = ['Debit', 'Credit'] as const;
export type QuickbooksPostingType = (typeof QUICKBOOKS_POSTING_TYPES)[number];

export interface QuickbooksJournalEntryLine {
  Description: string;
  /** Always positive; the side is PostingType. */
  Amount: number;
  DetailType: 'JournalEntryLineDetail';
  JournalEntryLineDetail: {
    PostingType: QuickbooksPostingType;
    AccountRef: QuickbooksRef;
    Entity?: { Type: 'Customer' | 'Vendor'; EntityRef: QuickbooksRef };
    ClassRef?: QuickbooksRef;
    DepartmentRef?: QuickbooksRef;
  };
}

export interface QuickbooksJournalEntry {
  DocNumber: string;
  /** YYYY-MM-DD */
  TxnDate: string;
  PrivateNote: string;
  CurrencyRef: QuickbooksRef;
  /** Home-currency units per one unit of CurrencyRef; only for an entry in a foreign currency. */
  ExchangeRate?: number;
  Line: QuickbooksJournalEntryLine[];
}

export interface QuickbooksBatchItem {
  bId: string;
  operation: 'create';
  JournalEntry: QuickbooksJournalEntry;
}

export interface QuickbooksBatchRequest {
  BatchItemRequest: QuickbooksBatchItem[];
}

/** Ledger positions up to 99,999,999,999 fit the 21 characters: "LL-" + 11 digits + "-" + 6. */
const MAX_DOC_NUMBER_SEQ = 99_999_999_999;

/**
 * The journal number of an entry, the same in the API (DocNumber) and the CSV
 * (Journal No): "LL-" + the entry's ledger position + "-" + the first 6 hex
 * digits of the SHA-256 of its id, e.g. "LL-42-1f3a9c" (at most 21
 * characters). The position makes it unique in the ledger and readable; the
 * hash ties it to the entry id, so a look-up by DocNumber after an unknown
 * outcome cannot match a journal posted for another entry that once held the
 * same position (a ledger rebuilt elsewhere).
 */
export function quickbooksDocNumber(entry: Pick<RenderedEntry, 'id' | 'seq'>): string {
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 0 || entry.seq > MAX_DOC_NUMBER_SEQ) {
    throw new RangeError(`entry ${entry.id}: ledger position ${entry.seq} does not fit a ${QUICKBOOKS_DOC_NUMBER_MAX_LENGTH}-character journal number`);
  }
  const tag = createHash('sha256').update(entry.id).digest('hex').slice(0, 6);
  return `LL-${entry.seq}-${tag}`;
}

/**
 * The create body of one entry for POST /v3/company/{realmId}/journalentry.
 * Each line's Amount is positive with its side in PostingType (signed cents
 * -156n → Credit 1.56). PrivateNote carries the entry id verbatim, as the Xero
 * narration does: "SMM panel orders 2026-03-02 [je:smm-panel:2026-03-02]".
 * An entry in a foreign currency keeps its amounts and goes with its
 * `conversion`'s rate as ExchangeRate (QuickBooks converts; multicurrency must be on).
 */
export function quickbooksJournalEntry(entry: RenderedEntry, mapping: AccountMapping<QuickbooksAccount>, conversion?: Conversion): QuickbooksJournalEntry {
  if (entry.lines.length === 0) throw new LedgerIntegrityError(`entry ${entry.id} has no lines to post to QuickBooks`);
  assertDeliverable(entry);
  const currency = singleCurrency(entry, 'QuickBooks');
  return {
    DocNumber: quickbooksDocNumber(entry),
    TxnDate: entry.date,
    PrivateNote: entry.description === '' ? `[${entry.id}]` : `${entry.description} [${entry.id}]`,
    CurrencyRef: { value: currency },
    ...(conversion === undefined ? {} : { ExchangeRate: rateAsJsonNumber(conversion.rate) }),
    Line: entry.lines.map((line) => {
      const account = mappedAccount(mapping, line.account, entry.id, 'QuickBooks');
      const classRef = apiRef(account.class, line.account, 'class');
      const departmentRef = apiRef(account.location, line.account, 'location');
      const customerRef = apiRef(account.customer, line.account, 'customer');
      const vendorRef = apiRef(account.vendor, line.account, 'vendor');
      const entity = customerRef ? { Type: 'Customer' as const, EntityRef: customerRef } : vendorRef ? { Type: 'Vendor' as const, EntityRef: vendorRef } : undefined;
      return {
        Description: line.description ?? entry.description,
        Amount: centsAsJsonNumber(line.cents < 0n ? -line.cents : line.cents),
        DetailType: 'JournalEntryLineDetail',
        JournalEntryLineDetail: {
          PostingType: line.cents > 0n ? 'Debit' : 'Credit',
          AccountRef: { value: account.id, name: account.name },
          ...(entity === undefined ? {} : { Entity: entity }),
          ...(classRef === undefined ? {} : { ClassRef: classRef }),
          ...(departmentRef === undefined ? {} : { DepartmentRef: departmentRef }),
        },
      };
    }),
  };
}

function apiRef(item: QuickbooksListItem | undefined, accountKey: string, field: 'class' | 'location' | 'customer' | 'vendor'): QuickbooksRef | undefined {
  if (item === undefined) return undefined;
  if (typeof item === 'string') {
    // post looks names up first (resolveQuickbooksMapping); a name left here is one QuickBooks does not have.
    throw new ConfigError([
      {
        file: 'QuickBooks account mapping',
        path: `${accountKey}.${field}`,
        message: `names ${field} ${JSON.stringify(item)}, which was not found in QuickBooks; run "ledgerline doctor --to quickbooks"`,
      },
    ]);
  }
  return { value: item.id, name: item.name };
}

/**
 * The `requestid` of a call, from the ids of the entries it creates: 32 hex
 * digits of a SHA-256 (the length of Intuit's own dashless UUIDs, within both
 * the 50-character limit and the 36 of /batch). The kind of call is hashed in,
 * so posting an entry alone and then in a batch never shares an id; QuickBooks
 * answers a repeated requestid with its first response, which is what makes
 * resending an unknown outcome safe. `attempt` (default 0) is for after a
 * definite refusal: the same id would replay that refusal.
 */
export function quickbooksRequestId(entryIds: readonly string[], options: { batch: boolean; attempt?: number }): string {
  if (entryIds.length === 0) throw new RangeError('a requestid needs at least one entry id');
  const attempt = options.attempt ?? 0;
  if (!Number.isSafeInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a whole number ≥ 0, got ${attempt}`);
  const ids = [...entryIds].sort();
  return createHash('sha256')
    .update(JSON.stringify([options.batch ? 'batch' : 'single', ids, attempt]))
    .digest('hex')
    .slice(0, 32);
}

/** An entry's bId inside a batch: its ledger position in decimal ("42"), unique in any batch and mapped straight back from the reply. */
export function quickbooksBatchItemId(entry: Pick<RenderedEntry, 'id' | 'seq'>): string {
  const bId = String(entry.seq);
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 0 || bId.length > QUICKBOOKS_BATCH_ID_MAX_LENGTH) {
    throw new RangeError(`entry ${entry.id}: ledger position ${entry.seq} does not fit a ${QUICKBOOKS_BATCH_ID_MAX_LENGTH}-character bId`);
  }
  return bId;
}

/**
 * The requestid of part of a batch that QuickBooks refused for its size and
 * that goes out again in smaller batches: from the whole batch's requestid and
 * the part's entry ids, so each part has its own, the same on every retry.
 */
export function quickbooksPartRequestId(requestId: string, entryIds: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(['part', requestId, [...entryIds].sort()]))
    .digest('hex')
    .slice(0, 32);
}

/** The body of one POST /batch creating these entries (at most 30: use chunkForQuickbooks first). */
export function quickbooksBatch(
  entries: readonly RenderedEntry[],
  mapping: AccountMapping<QuickbooksAccount>,
  conversion: (entry: RenderedEntry) => Conversion | undefined = () => undefined,
): QuickbooksBatchRequest {
  if (entries.length === 0 || entries.length > QUICKBOOKS_BATCH_MAX_ITEMS) {
    throw new RangeError(`a QuickBooks batch holds 1 to ${QUICKBOOKS_BATCH_MAX_ITEMS} items, got ${entries.length}`);
  }
  const seen = new Set<string>();
  return {
    BatchItemRequest: entries.map((entry) => {
      const bId = quickbooksBatchItemId(entry);
      if (seen.has(bId)) throw new RangeError(`entry ${entry.id} appears twice in one batch (bId ${bId})`);
      seen.add(bId);
      return { bId, operation: 'create', JournalEntry: quickbooksJournalEntry(entry, mapping, conversion(entry)) };
    }),
  };
}

/** Entries in batch-sized groups, in order: 70 entries → 30, 30, 10. */
export function chunkForQuickbooks<T>(entries: readonly T[], size: number = QUICKBOOKS_BATCH_MAX_ITEMS): T[][] {
  if (!Number.isSafeInteger(size) || size < 1 || size > QUICKBOOKS_BATCH_MAX_ITEMS) {
    throw new RangeError(`chunk size must be a whole number from 1 to ${QUICKBOOKS_BATCH_MAX_ITEMS}, got ${size}`);
  }
  const chunks: T[][] = [];
  for (let start = 0; start < entries.length; start += size) chunks.push(entries.slice(start, start + size));
  return chunks;
}
