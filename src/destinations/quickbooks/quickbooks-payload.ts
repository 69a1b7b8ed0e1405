import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ConfigError, LedgerIntegrityError } from '../../errors.js';
import { foldedEntry, type RenderedEntry } from '../../rules/index.js';
import { mappedAccount, type AccountMapping } from '../delivery/account-mapping.js';
import { centsAsJsonNumber, rateAsJsonNumber } from '../delivery/cents-number.js';
import type { Conversion } from '../destination-client.js';
import { assertDeliverable, singleCurrency } from '../delivery/deliverable-entry.js';
import { nettedAway, withoutNetted } from '../delivery/netted-lines.js';
import { journalNarration } from '../journal-narration.js';
import type { quickbooksMappingAccount } from './quickbooks-mapping.js';
import { lineTaxFields, type QuickbooksLineTax } from './quickbooks-tax.js';

/** QuickBooks Online limits (Finance.xsd; Intuit's limits page and requestid post). */
export const QUICKBOOKS_DOC_NUMBER_MAX_LENGTH = 21;
export const QUICKBOOKS_BATCH_MAX_ITEMS = 30;

/**
 * A QuickBooks list item (class, location, customer, vendor). The CSV import
 * matches it by name; the API refers to it by id, which `post` looks up by
 * name (resolveQuickbooksMapping) unless the mapping gives `{ id, name }`.
 */
export type QuickbooksListItem = string | { id: string; name: string };

/** A list item's name, as the CSV import and the company's lists know it; none for no item. */
export function quickbooksItemName(item: QuickbooksListItem | undefined): string {
  if (item === undefined) return '';
  return typeof item === 'string' ? item : item.name;
}

/** What the QuickBooks mapping (mappings/quickbooks.yaml) says about one ledger account, as its schema reads it. */
export type QuickbooksAccount = z.output<typeof quickbooksMappingAccount>;

interface QuickbooksRef {
  value: string;
  name?: string;
}

export const QUICKBOOKS_POSTING_TYPES = ['Debit', 'Credit'] as const;
type QuickbooksPostingType = (typeof QUICKBOOKS_POSTING_TYPES)[number];

interface QuickbooksJournalEntryLine {
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
    TaxCodeRef?: QuickbooksRef;
    TaxApplicableOn?: 'Sales' | 'Purchase';
    TaxAmount?: number;
  };
}

interface QuickbooksJournalEntry {
  DocNumber: string;
  /** YYYY-MM-DD */
  TxnDate: string;
  PrivateNote: string;
  CurrencyRef: QuickbooksRef;
  /** Home-currency units per one unit of CurrencyRef; only for an entry in a foreign currency. */
  ExchangeRate?: number;
  /** Only with tax codes (issue 54): the ledger's amounts include the tax. */
  GlobalTaxCalculation?: 'TaxInclusive';
  Line: QuickbooksJournalEntryLine[];
}

interface QuickbooksBatchItem {
  bId: string;
  operation: 'create';
  JournalEntry: QuickbooksJournalEntry;
}

interface QuickbooksBatchRequest {
  BatchItemRequest: QuickbooksBatchItem[];
}

/** Lowercase Crockford base 32: no i, l, o or u, so a number read aloud or retyped is not misread. */
const BASE32_DIGITS = '0123456789abcdefghjkmnpqrstvwxyz';
/** "LL-" + YYYYMMDD + "-" leaves 9 of the 21 characters: 45 bits of the hash. */
const JOURNAL_NUMBER_HASH_DIGITS = 9;

/**
 * The journal number of an entry, the same in the API (DocNumber) and the CSV
 * (Journal No): "LL-" + the entry's date + "-" + the first 45 bits of the
 * SHA-256 of its id in lowercase Crockford base 32, e.g.
 * "LL-20260302-8m4k2q9xz" (exactly 21 characters). Everything in it comes
 * from the entry itself, so a rerun day, several workers and a copied ledger
 * give every entry the same number whatever order it was appended in. Two
 * entries can share a number only on the same date: among n entries of one
 * date the chance is about n²/2⁴⁶ (1,000 a day: one day in 70 million), and
 * exports and posts check it (journalNumberClash) rather than trust it. The
 * hash also ties the number to the entry id, so a look-up by DocNumber after
 * an unknown outcome cannot match a journal posted for another entry.
 *
 * An entry booked before numbers came from the books keeps the number it may
 * already carry at QuickBooks: "LL-" + its ledger position + "-" + 6 hex
 * digits of the same hash ("LL-42-1f3a9c"), from the position recorded for it
 * (migration 0006). The two forms never coincide: the hash part differs in length.
 */
export function quickbooksDocNumber(entry: Pick<RenderedEntry, 'id' | 'date' | 'legacyPosition'>): string {
  const digest = createHash('sha256').update(entry.id).digest();
  if (entry.legacyPosition !== undefined) return `LL-${entry.legacyPosition}-${digest.toString('hex').slice(0, 6)}`;
  return `LL-${entry.date.replaceAll('-', '')}-${base32Prefix(digest, JOURNAL_NUMBER_HASH_DIGITS)}`;
}

/** The first `digits` × 5 bits of `bytes`, most significant first, as base-32 digits. */
function base32Prefix(bytes: Uint8Array, digits: number): string {
  let text = '';
  for (let digit = 0; digit < digits; digit += 1) {
    let value = 0;
    for (let bit = digit * 5; bit < digit * 5 + 5; bit += 1)
      value = (value << 1) | ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1);
    text += BASE32_DIGITS[value];
  }
  return text;
}

/**
 * Watches entries go by in book order (date first) for two that share a
 * journal number: returns, for an entry whose number another entry of the
 * ledger already holds, that number and the other entry's id. Only entries of
 * the same date can share a new-form number, so one date is held at a time.
 */
export function journalNumberClash(): (
  entry: Pick<RenderedEntry, 'id' | 'date' | 'legacyPosition'>,
) => { number: string; heldBy: string } | undefined {
  let date: string | undefined;
  const holders = new Map<string, string>();
  return (entry) => {
    if (entry.date !== date) {
      date = entry.date;
      holders.clear();
    }
    const number = quickbooksDocNumber(entry);
    const heldBy = holders.get(number);
    if (heldBy !== undefined && heldBy !== entry.id) return { number, heldBy };
    holders.set(number, entry.id);
    return undefined;
  };
}

/** Why an entry whose journal number another entry holds is not exported or posted: one line naming both. */
export function journalNumberClashMessage(entryId: string, clash: { number: string; heldBy: string }): string {
  return (
    `entry ${entryId}: its journal number ${clash.number} is also that of entry ${clash.heldBy} ` +
    `(the same date and the same ${JOURNAL_NUMBER_HASH_DIGITS} hash digits); it is held back: please report it`
  );
}

/**
 * The create body of one entry for POST /v3/company/{realmId}/journalentry.
 * Each line's Amount is positive with its side in PostingType (signed cents
 * -156n → Credit 1.56). PrivateNote carries the entry id verbatim, as the Xero
 * narration does: "SMM panel orders 2026-03-02 [je:smm-panel:2026-03-02]".
 * An entry in a foreign currency keeps its amounts and goes with its
 * `conversion`'s rate as ExchangeRate (QuickBooks converts; multicurrency must be on).
 * With `lineTaxes` (quickbooks-tax.ts) each coded line carries its TaxCodeRef, and the entry says TaxInclusive;
 * without them the body is as it was before tax codes. Lines that net to zero on one account, code and analysis
 * (quickbooksNettedAway: a reclassification between two accounts mapped alike) are left out.
 */
export function quickbooksJournalEntry(
  booked: RenderedEntry,
  mapping: AccountMapping<QuickbooksAccount>,
  conversion?: Conversion,
  bookedTaxes?: readonly (QuickbooksLineTax | undefined)[],
): QuickbooksJournalEntry {
  // The ledger's VAT lines go folded into the lines they are the tax of: QuickBooks splits the tax out (issue 70).
  const folded = foldedEntry(booked);
  if (folded.lines.length === 0)
    throw new LedgerIntegrityError(`entry ${folded.id} has no lines to post to QuickBooks`);
  assertDeliverable(folded);
  const currency = singleCurrency(folded, 'QuickBooks');
  const { entry, perLine: lineTaxes } = withoutNetted(
    folded,
    quickbooksNettedAway(folded, mapping, bookedTaxes),
    bookedTaxes,
  );
  if (entry.lines.length === 0)
    throw new LedgerIntegrityError(`entry ${entry.id} has no lines to post to QuickBooks: they net to zero there`);
  return {
    DocNumber: quickbooksDocNumber(entry),
    TxnDate: entry.date,
    PrivateNote: journalNarration(entry),
    CurrencyRef: { value: currency },
    ...(conversion === undefined ? {} : { ExchangeRate: rateAsJsonNumber(conversion.rate) }),
    ...(lineTaxes === undefined ? {} : { GlobalTaxCalculation: 'TaxInclusive' as const }),
    Line: entry.lines.map((line, index) => {
      const tax = lineTaxes?.[index];
      const account = mappedAccount(mapping, line.account, entry.id, 'QuickBooks');
      const classRef = apiRef(account.class, line.account, 'class');
      const departmentRef = apiRef(account.location, line.account, 'location');
      const customerRef = apiRef(account.customer, line.account, 'customer');
      const vendorRef = apiRef(account.vendor, line.account, 'vendor');
      const entity = customerRef
        ? { Type: 'Customer' as const, EntityRef: customerRef }
        : vendorRef
          ? { Type: 'Vendor' as const, EntityRef: vendorRef }
          : undefined;
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
          ...(tax === undefined ? {} : lineTaxFields(tax)),
        },
      };
    }),
  };
}

/**
 * Which lines of a (folded) entry QuickBooks is not sent (nettedAway): those netting to zero on one account, tax code
 * and side, class, location and entity. An account without a mapping nets nothing (the post refuses it first).
 */
export function quickbooksNettedAway(
  entry: RenderedEntry,
  mapping: AccountMapping<QuickbooksAccount>,
  lineTaxes: readonly (QuickbooksLineTax | undefined)[] | undefined,
): boolean[] {
  const keys = entry.lines.map((line, index) => {
    const account = Object.hasOwn(mapping, line.account) ? mapping[line.account] : undefined;
    if (account === undefined) return `unmapped ${index}`;
    const tax = lineTaxes?.[index];
    const { id, name, class: classItem, location, customer, vendor } = account;
    return JSON.stringify([id, name, classItem, location, customer, vendor, tax?.code.id, tax?.applicableOn]);
  });
  return nettedAway(entry.lines, keys);
}

function apiRef(
  item: QuickbooksListItem | undefined,
  accountKey: string,
  field: 'class' | 'location' | 'customer' | 'vendor',
): QuickbooksRef | undefined {
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
export function quickbooksRequestId(
  entryIds: readonly string[],
  options: { batch: boolean; attempt?: number },
): string {
  if (entryIds.length === 0) throw new RangeError('a requestid needs at least one entry id');
  const attempt = options.attempt ?? 0;
  if (!Number.isSafeInteger(attempt) || attempt < 0)
    throw new RangeError(`attempt must be a whole number ≥ 0, got ${attempt}`);
  const ids = [...entryIds].sort();
  return createHash('sha256')
    .update(JSON.stringify([options.batch ? 'batch' : 'single', ids, attempt]))
    .digest('hex')
    .slice(0, 32);
}

/** The bId of the entry at `index` (0-based) of a batch: "1" to "30", mapped straight back from the reply to the entry sent at that place. */
export function quickbooksBatchItemId(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || index >= QUICKBOOKS_BATCH_MAX_ITEMS) {
    throw new RangeError(`a batch item index runs from 0 to ${QUICKBOOKS_BATCH_MAX_ITEMS - 1}, got ${index}`);
  }
  return String(index + 1);
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

/** The body of one POST /batch creating these entries (at most 30). */
export function quickbooksBatch(
  entries: readonly RenderedEntry[],
  mapping: AccountMapping<QuickbooksAccount>,
  conversion: (entry: RenderedEntry) => Conversion | undefined = () => undefined,
  lineTaxes: (entry: RenderedEntry) => readonly (QuickbooksLineTax | undefined)[] | undefined = () => undefined,
): QuickbooksBatchRequest {
  if (entries.length === 0 || entries.length > QUICKBOOKS_BATCH_MAX_ITEMS) {
    throw new RangeError(`a QuickBooks batch holds 1 to ${QUICKBOOKS_BATCH_MAX_ITEMS} items, got ${entries.length}`);
  }
  const seen = new Set<string>();
  return {
    BatchItemRequest: entries.map((entry, index) => {
      if (seen.has(entry.id)) throw new RangeError(`entry ${entry.id} appears twice in one batch`);
      seen.add(entry.id);
      return {
        bId: quickbooksBatchItemId(index),
        operation: 'create',
        JournalEntry: quickbooksJournalEntry(entry, mapping, conversion(entry), lineTaxes(entry)),
      };
    }),
  };
}
