import { hash } from 'node:crypto';

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
  lines: readonly { account: string; currency: string; amountMicros: bigint; description?: string | null | undefined }[];
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
