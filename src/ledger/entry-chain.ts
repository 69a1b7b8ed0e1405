import { hash } from 'node:crypto';
import type { ClosedPeriod } from './book-records.js';

/**
 * The journal's hash chain (issue 42): each entry's chain hash is the SHA-256 of the previous entry's chain
 * hash and the entry's canonical bytes, so one changed byte in any entry changes its hash and every later one.
 * The chain runs in book order as the ledger numbers it: the order entries are appended in (journal_entries.seq),
 * the only order known when an entry is appended (a backfill's correction dated in March is booked after April).
 *
 * The canonical bytes of an entry, UTF-8, one field a line, each value JSON text (so a tab, a newline or a
 * quote in a description cannot forge a field), amounts as the signed decimal text of micro-units (never a float):
 *
 *   ledgerline-entry/1\n
 *   id <JSON string>\n
 *   date <JSON string>\n
 *   source <JSON string>\n
 *   description <JSON string>\n
 *   events <JSON array of the event ids, as the entry stores them>\n
 *   line <JSON [account, currency, "micros", description or null]>\n      (one per line, in line order)
 *
 * The chain hash of an entry is hex(SHA-256(previous chain hash as 64 hex characters ‖ "\n" ‖ canonical bytes));
 * the first entry's previous hash is 64 zeros (CHAIN_GENESIS). The entry's currency is each line's; the
 * mapping to a destination's accounts is applied when an entry is posted, not booked, so it is not in the journal.
 *
 * Worked example: entry je:smm-panel:2026-03-02, dated 2026-03-02, source smm-panel, description "Panel charges",
 * events ["e1"], Dr smm_services_expense USD 12.345600 and Cr panel_prepaid USD 12.345600, has the bytes
 *   ledgerline-entry/1
 *   id "je:smm-panel:2026-03-02"
 *   date "2026-03-02"
 *   source "smm-panel"
 *   description "Panel charges"
 *   events ["e1"]
 *   line ["smm_services_expense","USD","12345600",null]
 *   line ["panel_prepaid","USD","-12345600",null]
 * and, as the first entry, the chain hash SHA-256("0000…0000\n" ‖ those bytes) =
 * 08780d26a0a5ecaeea2b2907426d14fc754296a532815d0123a20ee60a47a4e3 (pinned in test/ledger/entry-chain.test.ts).
 */
export const CHAIN_GENESIS = '0'.repeat(64);

/** What the chain covers of an entry, as the journal stores it: its event ids as their stored JSON text. */
export interface ChainedEntry {
  id: string;
  date: string;
  sourceId: string;
  description: string;
  /** The event ids as JSON text, exactly as the entry row keeps them (JSON.stringify of the ids when appended). */
  eventIdsJson: string;
  lines: readonly {
    account: string;
    currency: string;
    amountMicros: bigint;
    description?: string | null | undefined;
  }[];
}

/** The entry's canonical bytes, as text (see above). */
export function canonicalEntryText(entry: ChainedEntry): string {
  let text = `ledgerline-entry/1\nid ${JSON.stringify(entry.id)}\ndate ${JSON.stringify(entry.date)}\nsource ${JSON.stringify(entry.sourceId)}\n`;
  text += `description ${JSON.stringify(entry.description)}\nevents ${entry.eventIdsJson}\n`;
  for (const line of entry.lines) {
    text += `line ${JSON.stringify([line.account, line.currency, line.amountMicros.toString(), line.description ?? null])}\n`;
  }
  return text;
}

/** The entry's chain hash after `previous` (CHAIN_GENESIS for the first entry), hashed in one call: cheaper per entry than a createHash object. */
export function chainLink(previous: string, entry: ChainedEntry): string {
  return hash('sha256', `${previous}\n${canonicalEntryText(entry)}`, 'hex');
}

/**
 * Chain form 2 (migration 0026): an entry appended from then on is chained with everything that leaves the
 * ledger for it, not only its exact amounts. Its canonical bytes, one field a line:
 *
 *   ledgerline-entry/2\n
 *   id <JSON string>\n
 *   content <the entry's content text (entryContentText), the bytes its content hash is the SHA-256 of>\n
 *   content-hash <the content hash as the entry row keeps it>\n
 *   cents <JSON array: each line's cents as signed decimal text, in line order; null for a line that keeps none>\n
 *   rounding <JSON array of [account, currency, "cents", description or null]: the rounding lines after them>\n
 *
 * and its link is hex(SHA-256(previous link ‖ "\n" ‖ those bytes)), as in form 1. The content text is built once
 * per entry and serves both the content hash and the link. An entry appended before migration 0026 keeps its
 * form 1 link; the ledger records the first seq of form 2 (chain_forms), so each entry is verified in its own form.
 *
 * Worked example: the entry above with cents 1235 and −1235 and no rounding line has the bytes
 *   ledgerline-entry/2
 *   id "je:smm-panel:2026-03-02"
 * content {"date":"2026-03-02","sourceId":"smm-panel","description":"Panel
 * charges","eventIds":["e1"],"lines":[["smm_services_expense","USD","12345600",null],["panel_prepaid","USD","-12345600",null]]}
 *   content-hash 30abc9e2073a167a1e97a22bf214f3fb5aa2622a897cdf7453f814a9bc596094
 *   cents ["1235","-1235"]
 *   rounding []
 * and, as the first entry, the link c4f2b8799dac4b216b816b012e3960da140e2312585d7034b949ab4083767fed (pinned in
 * test/ledger/entry-chain.test.ts).
 */
interface ChainedEntryForm2 {
  id: string;
  /** entryContentText of the entry. */
  contentText: string;
  contentHash: string;
  /** Each line's cents, in line order (null: the line keeps none). */
  lineCents: readonly (bigint | null)[];
  roundingLines: readonly {
    account: string;
    currency: string;
    cents: bigint;
    description?: string | null | undefined;
  }[];
}

/**
 * What an entry says, as text: JSON of { date, sourceId, description, eventIds, lines: [[account, currency,
 * "micros", description or null]] }, keys in that order, the event ids as the JSON text the entry row keeps.
 * Its SHA-256 is the entry's content hash (replays compare it), and it is the content of chain form 2.
 */
export function entryContentText(
  entry: Omit<ChainedEntry, 'id' | 'eventIdsJson'>,
  eventIdsJson: string,
  quoteName: (name: string) => string = JSON.stringify,
): string {
  // Written field by field, each value by JSON.stringify: the same text as JSON.stringify of the whole, with no object or array built for it.
  // quoteName quotes the names an entry shares with many (date, source, account, currency): verify passes JSON.stringify remembered.
  let text = `{"date":${quoteName(entry.date)},"sourceId":${quoteName(entry.sourceId)},"description":${JSON.stringify(entry.description)},"eventIds":${eventIdsJson},"lines":[`;
  let separator = '';
  for (const line of entry.lines) {
    text += `${separator}[${quoteName(line.account)},${quoteName(line.currency)},"${line.amountMicros}",${jsonOrNull(line.description)}]`;
    separator = ',';
  }
  return `${text}]}`;
}

/**
 * JSON.stringify of a name, remembered for up to `limit` names: the names an entry shares with many (its date,
 * source, accounts and currencies) are quoted once per append, not once per entry (entryContentText's quoteName).
 */
export function rememberedQuoting(limit: number): (name: string) => string {
  const quoted = new Map<string, string>();
  return (name) => {
    let text = quoted.get(name);
    if (text === undefined) {
      text = JSON.stringify(name);
      if (quoted.size < limit) quoted.set(name, text);
    }
    return text;
  };
}

/** A text as JSON, null for none. */
function jsonOrNull(text: string | null | undefined): string {
  return text === null || text === undefined ? 'null' : JSON.stringify(text);
}

/** The canonical bytes of chain form 2, as text (see above). */
export function canonicalEntryTextForm2(entry: ChainedEntryForm2): string {
  let cents = '';
  for (const lineCents of entry.lineCents)
    cents += `${cents === '' ? '' : ','}${lineCents === null ? 'null' : `"${lineCents}"`}`;
  let rounding = '';
  for (const line of entry.roundingLines) {
    rounding += `${rounding === '' ? '' : ','}[${JSON.stringify(line.account)},${JSON.stringify(line.currency)},"${line.cents}",${jsonOrNull(line.description)}]`;
  }
  return (
    `ledgerline-entry/2\nid ${JSON.stringify(entry.id)}\ncontent ${entry.contentText}\ncontent-hash ` +
    `${entry.contentHash}\ncents [${cents}]\nrounding [${rounding}]\n`
  );
}

/** The entry's chain hash in form 2 after `previous`. */
export function chainLinkForm2(previous: string, entry: ChainedEntryForm2): string {
  return hash('sha256', `${previous}\n${canonicalEntryTextForm2(entry)}`, 'hex');
}

/**
 * A close's canonical bytes: a record of its own in the chain, linked after the last record appended before it,
 * and the next entry's link continues from it. So a close row deleted or rewritten breaks the chain at the close
 * (or at the entry after it), and the close can be told from the entries by its first line:
 *
 *   ledgerline-close/1\n
 *   period <JSON string>\n
 *   period-end <JSON string>\n
 *   head <the sealed chain head>\n
 *   certificate-sha256 <hex>\n
 *   closed <JSON [closed at, closed by]>\n
 */
function canonicalCloseText(close: ClosedPeriod): string {
  return (
    `ledgerline-close/1\nperiod ${JSON.stringify(close.period)}\nperiod-end ${JSON.stringify(close.periodEnd)}\nhead ${close.chainHead}\n` +
    `certificate-sha256 ${close.certificateSha256}\nclosed ${JSON.stringify([close.closedAt, close.closedBy])}\n`
  );
}

/** The close's chain hash after `previous`. */
export function closeLink(previous: string, close: ClosedPeriod): string {
  return hash('sha256', `${previous}\n${canonicalCloseText(close)}`, 'hex');
}
