import { hash } from 'node:crypto';
import {
  rowDigest,
  rowKey,
  SEAL_GENESIS,
  SEALED_TABLES,
  sealLink,
  type SealedTableName,
  type SealHead,
} from '../../ledger/index.js';
import type { SideTableBooks } from './books/side-table-books.js';

/**
 * The proof of the tables beside the journal that carry a decision (issue 52, ledger/row-seals.ts): `verify`
 * recomputes every seal's link, every sealed row's digest, every raw reply's hash from its body, and the
 * entry-event links from the chained entries, and names each row changed, deleted or added outside ledgerline.
 * Example: bank line operating/881's amount edited from 312.40 to 412.40 → one finding, `row_changed`, naming it.
 */

type TableFindingKind =
  | 'seal_broken'
  | 'row_changed'
  | 'row_deleted'
  | 'row_unsealed'
  | 'reply_body_changed'
  | 'event_link_changed'
  | 'entry_missing'
  | 'seal_head_lost';

interface TableFinding {
  kind: TableFindingKind;
  /** The table the finding is about. */
  table: string;
  /** The row: its key as seals keep it, a reply's id, an event's id, an entry's id, a witness. */
  ref: string;
  message: string;
}

/** A head kept outside the seals (a close's certificate, a night's run record): the seals must still give it. */
interface SealWitness {
  /** How the message names it: "the certificate of 2026-03". */
  label: string;
  head: SealHead;
}

export interface SideTablesProof {
  head: SealHead;
  findings: TableFinding[];
}

const RESTORE = 'restore the ledger from a backup taken before the change and compare the two';
const WHAT = new Map(SEALED_TABLES.map((table) => [table.name, table.what]));

/** Every finding of the proof, in the order: seals, rows table by table, replies, links, the chain's gap, witnesses. */
export async function proveSideTables(
  books: SideTableBooks,
  options: { chainBrokenAt?: string | undefined; witnesses?: readonly SealWitness[] } = {},
): Promise<SideTablesProof> {
  const seals = await readSeals(books, new Set(options.witnesses?.map((witness) => witness.head.position)));
  const findings = [...seals.findings];
  for (const table of SEALED_TABLES)
    findings.push(...(await tableFindings(books, table.name, seals.byTable.get(table.name) ?? new Map())));
  findings.push(...(await replyFindings(books)), ...(await linkFindings(books)));
  if (options.chainBrokenAt !== undefined) findings.push(...(await missingEntries(books, options.chainBrokenAt)));
  findings.push(...(await recordsWithoutEntry(books)));
  for (const witness of options.witnesses ?? []) findings.push(...witnessFindings(witness, seals));
  return { head: seals.head, findings };
}

interface KeptSeal {
  position: number;
  digest: string;
}

interface ReadSeals {
  head: SealHead;
  byTable: Map<string, Map<string, KeptSeal>>;
  /** The recomputed link at each position a witness names. */
  linkAt: Map<number, string>;
  findings: TableFinding[];
}

/** Recomputes the seals' links in position order: the first that breaks is named, with the positions missing before it. */
async function readSeals(books: SideTableBooks, witnessed: ReadonlySet<number>): Promise<ReadSeals> {
  const result: ReadSeals = {
    head: { position: 0, link: SEAL_GENESIS },
    byTable: new Map(),
    linkAt: new Map([[0, SEAL_GENESIS]]),
    findings: [],
  };
  for await (const chunk of books.sealChunks()) {
    for (const [rawPosition, table, key, digest, link] of chunk as [
      bigint | number,
      string,
      string,
      string,
      string,
    ][]) {
      const position = Number(rawPosition);
      const previous = result.head;
      result.head = { position, link: sealLink(previous.link, digest) };
      if (witnessed.has(position)) result.linkAt.set(position, result.head.link);
      const kept = result.byTable.get(table) ?? new Map<string, KeptSeal>();
      kept.set(key, { position, digest });
      result.byTable.set(table, kept);
      if (result.findings.length === 0 && link !== result.head.link)
        result.findings.push(sealBreak(table, key, position, previous.position, link, result.head.link));
    }
  }
  return result;
}

function sealBreak(
  table: string,
  key: string,
  position: number,
  previous: number,
  kept: string,
  given: string,
): TableFinding {
  const missing = position - previous === 2 ? `Seal ${previous + 1} is` : `Seals ${previous + 1}-${position - 1} are`;
  const gap = position - previous > 1 ? ` ${missing} missing: deleted, with the rows they sealed, or rolled back.` : '';
  return {
    kind: 'seal_broken',
    table: 'row_seals',
    ref: String(position),
    message:
      `the seals break at position ${position} (${WHAT.get(table as SealedTableName) ?? table} ${key}): ` +
      `it keeps link ${kept}, the seals before it give ${given}.${gap} A seal was changed or deleted ` +
      `outside ledgerline; ${RESTORE}`,
  };
}

/** Each row of `table` against its seal: changed, added without one; each seal left without its row: deleted. */
async function tableFindings(
  books: SideTableBooks,
  table: SealedTableName,
  seals: Map<string, KeptSeal>,
): Promise<TableFinding[]> {
  const what = WHAT.get(table)!;
  const keyLength = SEALED_TABLES.find((sealed) => sealed.name === table)!.key.length;
  const findings: TableFinding[] = [];
  const left = new Map(seals);
  for await (const chunk of books.rowChunks(table)) {
    for (const row of chunk) {
      const key = rowKey(row.slice(0, keyLength));
      const digest = rowDigest(table, key, row.slice(keyLength));
      const seal = left.get(key);
      left.delete(key);
      if (seal === undefined)
        findings.push({
          kind: 'row_unsealed',
          table,
          ref: key,
          message: `${what} ${key} (${table}) was not written by ledgerline: it has no seal; it was added outside ledgerline (${RESTORE})`,
        });
      else if (seal.digest !== digest)
        findings.push({
          kind: 'row_changed',
          table,
          ref: key,
          message:
            `${what} ${key} (${table}) was changed after it was written: sealed ${seal.digest} (seal ${seal.position}), ` +
            `its columns now give ${digest}; ${RESTORE}`,
        });
    }
  }
  for (const [key, seal] of left)
    findings.push({
      kind: 'row_deleted',
      table,
      ref: key,
      message: `${what} ${key} (${table}) was deleted: its seal ${seal.position} remains; ${RESTORE}`,
    });
  return findings;
}

/** Each raw reply whose body no longer gives the SHA-256 stored when it landed. */
async function replyFindings(books: SideTableBooks): Promise<TableFinding[]> {
  const findings: TableFinding[] = [];
  for await (const chunk of books.replyChunks()) {
    for (const [id, source, asOf, stored, body] of chunk as [bigint, string, string, string, string][]) {
      const given = hash('sha256', body, 'hex');
      if (given !== stored) {
        findings.push({
          kind: 'reply_body_changed',
          table: 'raw_observations',
          ref: String(id),
          message: `raw reply ${id} (${source}, as of ${asOf}) was changed after it landed: stored sha256 ${stored}, its body now gives ${given}; ${RESTORE}`,
        });
      }
    }
  }
  return findings;
}

/** Each entry_events link that is not the one the chained entries give. */
async function linkFindings(books: SideTableBooks): Promise<TableFinding[]> {
  return (await books.eventLinkProblems()).map(({ eventId, linkedTo, listedBy }) => {
    const now = linkedTo === null ? 'has no link (deleted)' : `is linked to ${linkedTo}`;
    const chained = listedBy === null ? 'no chained entry lists it' : `the chained entry ${listedBy} lists it`;
    return {
      kind: 'event_link_changed',
      table: 'entry_events',
      ref: eventId,
      message: `event ${eventId} ${now}, but ${chained}: entry_events was changed outside ledgerline; ${RESTORE}`,
    };
  });
}

/** When the chain breaks at an entry whose seq does not follow the entry before it: the entries between were deleted. */
async function missingEntries(books: SideTableBooks, entryId: string): Promise<TableFinding[]> {
  const around = await books.entriesAround(entryId);
  if (around === undefined) return [];
  const afterSeq = around.before?.seq ?? 0n;
  if (around.seq - afterSeq <= 1n) return [];
  const missing = around.seq - afterSeq === 2n ? `seq ${afterSeq + 1n}` : `seqs ${afterSeq + 1n}-${around.seq - 1n}`;
  const after =
    around.before === undefined ? 'the start of the journal' : `entry ${around.before.id} (seq ${afterSeq})`;
  return [
    {
      kind: 'entry_missing',
      table: 'journal_entries',
      ref: missing,
      message:
        `journal entry ${missing}, appended between ${after} and entry ${entryId} (seq ${around.seq}), ` +
        `is missing: ${entryId}'s link follows an entry that is no longer there; it was deleted outside ` +
        `ledgerline; ${RESTORE}`,
    },
  ];
}

/** An adjusting entry's record or approval names an entry the journal no longer holds: the entry was deleted. */
async function recordsWithoutEntry(books: SideTableBooks): Promise<TableFinding[]> {
  return (await books.recordsWithoutEntry()).map(({ table, entryId }) => ({
    kind: 'entry_missing',
    table: 'journal_entries',
    ref: entryId,
    message:
      `journal entry ${entryId} is missing: ${WHAT.get(table)} of it is kept (${table}), the entry ` +
      `is not in the journal; it was deleted outside ledgerline; ${RESTORE}`,
  }));
}

function witnessFindings(witness: SealWitness, seals: ReadSeals): TableFinding[] {
  const given = seals.linkAt.get(witness.head.position);
  if (given === witness.head.link) return [];
  const now =
    given === undefined ? `the seals now end at position ${seals.head.position}` : `the seals now give ${given} there`;
  return [
    {
      kind: 'seal_head_lost',
      table: 'row_seals',
      ref: witness.label,
      message:
        `${witness.label} kept the seals' head at position ${witness.head.position} (link ${witness.head.link}); ` +
        `${now}: rows sealed before it were deleted or changed outside ledgerline; ${RESTORE}`,
    },
  ];
}
