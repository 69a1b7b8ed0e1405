import { createHash } from 'node:crypto';

/**
 * The kinds of tampering an outside trial makes with the database's own tools, triggers dropped (issue 52), on
 * the world of test/support/tampering-world.ts, and what `verify` must say of each: every line in `names`, exit 1.
 * `postgres` marks the kinds also tried on PostgreSQL (`ALTER TABLE … DISABLE TRIGGER USER`).
 */
export interface TamperingCase {
  kind: string;
  sql: string;
  names: readonly string[];
  postgres?: true;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const LINE = `["operating","SBX-20260402-42-55000000"]`;
const FORGED_BODY = '{"forged":true}';

export const TAMPERING_CASES: readonly TamperingCase[] = [
  // The journal: entries, their lines and their links to the events.
  {
    kind: "a line's amount in closed March",
    sql: "UPDATE journal_lines SET amount_micros = amount_micros + 1 WHERE entry_id = 'je:smm-panel:2026-03-12' AND line_no = 1",
    names: ['chain broken at entry je:smm-panel:2026-03-12'],
    postgres: true,
  },
  {
    kind: "an entry's description",
    sql: "UPDATE journal_entries SET description = 'Panel charges (edited)' WHERE id = 'je:smm-panel:2026-04-06'",
    names: ['chain broken at entry je:smm-panel:2026-04-06'],
  },
  {
    kind: "an entry's chain hash",
    sql: `UPDATE journal_entries SET chain_hash = '${'0'.repeat(64)}' WHERE id = 'je:smm-panel:2026-04-06'`,
    names: ['chain broken at entry je:smm-panel:2026-04-06'],
  },
  {
    kind: 'an entry deleted from the middle of the chain, with its lines and links',
    sql: "DELETE FROM entry_events WHERE entry_id = 'je:smm-panel:2026-04-06'; DELETE FROM journal_lines WHERE entry_id = 'je:smm-panel:2026-04-06'; DELETE FROM journal_entries WHERE id = 'je:smm-panel:2026-04-06'",
    names: [
      'chain broken at entry je:ads-publisher:2026-04-08',
      '! entry_missing: journal entry seq 28, appended between entry je:smm-panel:2026-04-03 (seq 27) and entry je:ads-publisher:2026-04-08 (seq 29), is missing',
    ],
    postgres: true,
  },
  {
    kind: 'an entry deleted from the middle of the chain, its event links left',
    sql: "DELETE FROM journal_lines WHERE entry_id = 'je:smm-panel:2026-04-06'; DELETE FROM journal_entries WHERE id = 'je:smm-panel:2026-04-06'",
    names: [
      '! entry_missing: journal entry seq 28',
      '! event_link_changed: event panel:smm-panel:order:A-3:charge:2026-04-06 is linked to je:smm-panel:2026-04-06, but no chained entry lists it',
    ],
  },
  {
    kind: 'the newest entry deleted (an adjusting entry, after the close)',
    sql: "DELETE FROM journal_lines WHERE entry_id = 'je:adjustment:2026-04-30:1'; DELETE FROM journal_entries WHERE id = 'je:adjustment:2026-04-30:1'",
    names: [
      '! entry_missing: journal entry je:adjustment:2026-04-30:1 is missing: adjusting entry record of it is kept (adjustments)',
    ],
  },
  {
    kind: "an entry's content hash",
    sql: `UPDATE journal_entries SET content_hash = '${'1'.repeat(64)}' WHERE id = 'je:smm-panel:2026-04-06'`,
    names: ['je:smm-panel:2026-04-06'],
  },
  {
    kind: "a line's cents (what exports and destinations receive)",
    sql: "UPDATE journal_lines SET cents = cents + 100 WHERE entry_id = 'je:smm-panel:2026-04-06' AND line_no = 1",
    names: ['je:smm-panel:2026-04-06'],
  },
  {
    kind: "the closed period's row deleted",
    sql: "DELETE FROM closed_periods WHERE period = '2026-03'",
    names: ['2026-03'],
  },
  {
    kind: 'an event relinked to another entry',
    sql: "UPDATE entry_events SET entry_id = 'je:smm-panel:2026-03-11' WHERE event_id = 'panel:smm-panel:order:D-2:charge:2026-03-12'",
    names: [
      '! event_link_changed: event panel:smm-panel:order:D-2:charge:2026-03-12 is linked to je:smm-panel:2026-03-11, but the chained entry je:smm-panel:2026-03-12 lists it',
    ],
    postgres: true,
  },
  {
    kind: "an event's link deleted",
    sql: "DELETE FROM entry_events WHERE event_id = 'panel:smm-panel:order:D-2:charge:2026-03-12'",
    names: [
      '! event_link_changed: event panel:smm-panel:order:D-2:charge:2026-03-12 has no link (deleted), but the chained entry je:smm-panel:2026-03-12 lists it',
    ],
  },
  // Raw replies.
  {
    kind: "a raw reply's body",
    sql: "UPDATE raw_observations SET body = body || ' ' WHERE id = 17",
    names: [
      '! reply_body_changed: raw reply 17 (ads-publisher, as of 2026-03-14) was changed after it landed: stored sha256 ',
    ],
    postgres: true,
  },
  {
    kind: "a raw reply's body and its stored hash, rewritten together",
    sql: `UPDATE raw_observations SET body = '${FORGED_BODY}', content_hash = '${sha256(FORGED_BODY)}' WHERE id = 17`,
    names: ['! row_changed: raw reply ["17"] (raw_observations) was changed after it was written'],
  },
  {
    kind: 'a raw reply deleted',
    sql: 'DELETE FROM raw_observations WHERE id = 100',
    names: ['! row_deleted: raw reply ["100"] (raw_observations) was deleted: its seal 100 remains'],
  },
  // Bank statements, their lines, and the states of money in transit.
  {
    kind: "a bank line's amount",
    sql: `UPDATE bank_lines SET amount_micros = 65000000 WHERE line_id = 'SBX-20260402-42-55000000'`,
    names: [`! row_changed: bank line ${LINE} (bank_lines) was changed after it was written`],
    postgres: true,
  },
  {
    kind: 'a bank line deleted',
    sql: `DELETE FROM bank_lines WHERE line_id = 'SBX-20260402-42-55000000'`,
    names: [`! row_deleted: bank line ${LINE} (bank_lines) was deleted`],
  },
  {
    kind: 'a bank line added',
    sql: `INSERT INTO bank_lines (account, line_id, booked_on, amount_micros, currency, reference, description, statement_sha256)
          SELECT account, 'FORGED-1', '2026-04-09', 40500000, currency, 'panel:smm-panel:topup:2026-04-08', 'CARD', statement_sha256 FROM bank_lines WHERE line_id = 'SBX-20260402-42-55000000'`,
    names: [
      '! row_unsealed: bank line ["operating","FORGED-1"] (bank_lines) was not written by ledgerline: it has no seal',
    ],
  },
  {
    kind: "a bank statement's row",
    sql: 'UPDATE bank_statements SET lines_read = 3',
    names: ['! row_changed: bank statement ["operating",'],
  },
  {
    kind: "a transit state's evidence",
    sql: "UPDATE transit_states SET state = 'matched' WHERE id = (SELECT MAX(id) FROM transit_states)",
    names: ['! row_changed: transit state'],
  },
  // A person's word: acknowledgements, adjusting entries and their approvals.
  {
    kind: 'an acknowledgement deleted',
    sql: 'DELETE FROM acknowledgements WHERE id = 2',
    names: ['! row_deleted: acknowledgement ["2"] (acknowledgements) was deleted: its seal 152 remains'],
    postgres: true,
  },
  {
    kind: 'an acknowledgement added',
    sql: "INSERT INTO acknowledgements (item_id, action, note, os_user, at) VALUES ('finding:forged', 'ack', 'nothing to see', 'root', '2026-04-01T00:00:00.000Z')",
    names: ['! row_unsealed: acknowledgement ["4"] (acknowledgements) was not written by ledgerline'],
  },
  {
    kind: "an acknowledgement's note",
    sql: "UPDATE acknowledgements SET note = 'approved by the CFO' WHERE id = 1",
    names: ['! row_changed: acknowledgement ["1"] (acknowledgements)'],
  },
  {
    kind: "an adjusting entry's reason",
    sql: "UPDATE adjustments SET reason = 'a reason nobody gave'",
    names: [
      '! row_changed: adjusting entry record ["je:adjustment:2026-04-30:1"] (adjustments) was changed after it was written',
    ],
    postgres: true,
  },
  {
    kind: "an adjusting entry's approver",
    sql: "UPDATE adjustment_approvals SET approved_by = 'root'",
    names: ['! row_changed: approval of adjusting entry ["je:adjustment:2026-04-30:1"] (adjustment_approvals)'],
  },
  {
    kind: 'an approval deleted',
    sql: 'DELETE FROM adjustment_approvals',
    names: [
      '! row_deleted: approval of adjusting entry ["je:adjustment:2026-04-30:1"] (adjustment_approvals) was deleted',
    ],
  },
  // The seals themselves.
  {
    kind: 'a seal deleted, and the row it sealed',
    sql: 'DELETE FROM row_seals WHERE position = 152; DELETE FROM acknowledgements WHERE id = 2',
    names: [
      '! seal_broken: the seals break at position 153 (acknowledgement ["3"])',
      'Seal 152 is missing: deleted, with the rows they sealed',
      '! seal_head_lost: the certificate of 2026-03',
    ],
    postgres: true,
  },
  {
    kind: 'the newest sealed row before the close deleted, with its seal',
    sql: 'DELETE FROM adjustment_approvals; DELETE FROM row_seals WHERE position = (SELECT MAX(position) FROM row_seals)',
    names: [
      '! seal_head_lost: the certificate of 2026-03 (',
      "kept the seals' head at position 155",
      'the seals now end at position 154',
    ],
  },
];
