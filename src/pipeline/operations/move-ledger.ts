import { createHash } from 'node:crypto';
import { entryContentHash } from '../../ledger/index.js';
import type { JournalEntry, JournalLine } from '../../rules/index.js';
import { LedgerlineError } from '../../errors.js';
import { ledgerMove } from '../../store/index.js';

/** Each side's figures for one account and currency of the trial balance. */
interface DebitsCredits {
  debitMicros: bigint;
  creditMicros: bigint;
}

/**
 * What the copy is proven by, each figure read from both ledgers: the rows of every table, the trial
 * balance, and each entry's content hash (the one stored with it, and the one its copied lines give now).
 */
interface LedgerMoveProof {
  tables: { table: string; source: bigint; target: bigint }[];
  trialBalance: { account: string; currency: string; source: DebitsCredits; target: DebitsCredits }[];
  entries: {
    source: number;
    target: number;
    /** sha256 over every entry's id, stored hash and recomputed hash, in id order: equal when every hash is. */
    sourceDigest: string;
    targetDigest: string;
  };
  /** Every difference found, the first MAX_DIFFERENCES_LISTED named; empty when the copy is equal. */
  differences: string[];
  differenceCount: number;
}

export interface LedgerMove {
  proof: LedgerMoveProof;
  /** False when a difference was found: the copy was rolled back and the database holds nothing of it. */
  kept: boolean;
  /** Once the copy is kept: the URL (no password) the SQLite ledger's seal names, or why it could not be sealed. */
  seal?: { movedTo: string } | { failed: LedgerlineError };
}

const MAX_DIFFERENCES_LISTED = 20;

/**
 * Copies the SQLite ledger at `from` into the empty PostgreSQL database `to` and proves the copy (see
 * copyLedgerToPostgres); once the copy is committed, seals the file (one ledger, one deliverer).
 */
export async function moveLedgerToPostgres(from: string, to: string, movedAt: string): Promise<LedgerMove> {
  const move: LedgerMove = await ledgerMove.copyProvenBy(from, to, async (source, target) => {
    const proof = await proveCopy(source, target);
    return { proof, equal: proof.differenceCount === 0 };
  });
  if (!move.kept) return move;
  try {
    return { ...move, seal: { movedTo: await ledgerMove.sealMoved(from, to, movedAt) } };
  } catch (error) {
    if (!(error instanceof LedgerlineError)) throw error;
    return { ...move, seal: { failed: error } };
  }
}

/** Reads both ledgers and names every way they differ. */
async function proveCopy(source: ledgerMove.Reads, target: ledgerMove.Reads): Promise<LedgerMoveProof> {
  const differences = new Differences();
  const [sourceCounts, targetCounts] = [await source.tableCounts(), await target.tableCounts()];
  const tables = sourceCounts.map(({ table, rows }) => ({
    table,
    source: rows,
    target: targetCounts.find((count) => count.table === table)?.rows ?? 0n,
  }));
  for (const row of tables)
    if (row.source !== row.target)
      differences.add(`${row.table}: ${row.source} rows in the SQLite ledger, ${row.target} in PostgreSQL`);

  const trialBalance = pairTrialBalances(await source.debitsAndCredits(), await target.debitsAndCredits());
  for (const row of trialBalance) {
    if (row.source.debitMicros !== row.target.debitMicros || row.source.creditMicros !== row.target.creditMicros) {
      differences.add(
        `trial balance ${row.account} ${row.currency}: debits ${row.source.debitMicros} and credits ${row.source.creditMicros} in the SQLite ledger, ` +
          `${row.target.debitMicros} and ${row.target.creditMicros} in PostgreSQL (micro-units)`,
      );
    }
  }

  return {
    tables,
    trialBalance,
    entries: await compareEntries(source, target, differences),
    differences: differences.listed,
    differenceCount: differences.count,
  };
}

class Differences {
  readonly listed: string[] = [];
  count = 0;
  add(difference: string): void {
    this.count += 1;
    if (this.listed.length < MAX_DIFFERENCES_LISTED) this.listed.push(difference);
  }
}

function pairTrialBalances(
  source: readonly ({ account: string; currency: string } & DebitsCredits)[],
  target: readonly ({ account: string; currency: string } & DebitsCredits)[],
): LedgerMoveProof['trialBalance'] {
  const none: DebitsCredits = { debitMicros: 0n, creditMicros: 0n };
  const paired = new Map<string, LedgerMoveProof['trialBalance'][number]>();
  const keyOf = (row: { account: string; currency: string }): string => JSON.stringify([row.account, row.currency]);
  for (const row of source)
    paired.set(keyOf(row), { account: row.account, currency: row.currency, source: figures(row), target: none });
  for (const row of target) {
    const known = paired.get(keyOf(row));
    if (known === undefined)
      paired.set(keyOf(row), { account: row.account, currency: row.currency, source: none, target: figures(row) });
    else known.target = figures(row);
  }
  return [...paired.values()];
}

function figures(row: DebitsCredits): DebitsCredits {
  return { debitMicros: row.debitMicros, creditMicros: row.creditMicros };
}

interface EntryHashes {
  id: string;
  /** The hash the entry was booked with. */
  stored: string;
  /** The hash of what its rows say now. */
  content: string;
}

/** Walks both ledgers' entries in id order together, one entry of each held at a time. */
async function compareEntries(
  source: ledgerMove.Reads,
  target: ledgerMove.Reads,
  differences: Differences,
): Promise<LedgerMoveProof['entries']> {
  const sourceDigest = createHash('sha256');
  const targetDigest = createHash('sha256');
  const sourceEntries = entryHashes(source)[Symbol.asyncIterator]();
  const targetEntries = entryHashes(target)[Symbol.asyncIterator]();
  let counts = { source: 0, target: 0 };
  let a = await sourceEntries.next();
  let b = await targetEntries.next();
  while (!a.done || !b.done) {
    if (!a.done) digest(sourceDigest, a.value);
    if (!b.done) digest(targetDigest, b.value);
    if (!a.done && (b.done || before(a.value.id, b.value.id))) {
      differences.add(`entry ${a.value.id} is in the SQLite ledger but not in PostgreSQL`);
      counts = { ...counts, source: counts.source + 1 };
      a = await sourceEntries.next();
      continue;
    }
    if (!b.done && (a.done || before(b.value.id, a.value.id))) {
      differences.add(`entry ${b.value.id} is in PostgreSQL but not in the SQLite ledger`);
      counts = { ...counts, target: counts.target + 1 };
      b = await targetEntries.next();
      continue;
    }
    if (!a.done && !b.done) {
      if (a.value.stored !== b.value.stored)
        differences.add(
          `entry ${a.value.id}: stored content hash ${a.value.stored} in the SQLite ledger, ${b.value.stored} in PostgreSQL`,
        );
      if (a.value.content !== b.value.content)
        differences.add(
          `entry ${a.value.id}: its lines hash to ${a.value.content} in the SQLite ledger, ${b.value.content} in PostgreSQL`,
        );
      counts = { source: counts.source + 1, target: counts.target + 1 };
      a = await sourceEntries.next();
      b = await targetEntries.next();
    }
  }
  return { ...counts, sourceDigest: sourceDigest.digest('hex'), targetDigest: targetDigest.digest('hex') };
}

function digest(hash: ReturnType<typeof createHash>, entry: EntryHashes): void {
  hash.update(`${entry.id}\t${entry.stored}\t${entry.content}\n`);
}

/** Each entry's hashes, built from its streamed lines. */
async function* entryHashes(side: ledgerMove.Reads): AsyncGenerator<EntryHashes> {
  let current: { stored: string; entry: JournalEntry; lines: JournalLine[] } | undefined;
  for await (const [
    id,
    date,
    sourceId,
    description,
    eventIds,
    contentHash,
    account,
    currency,
    amountMicros,
    lineDescription,
  ] of side.entryLines()) {
    if (current?.entry.id !== id) {
      if (current) yield hashesOf(current);
      const lines: JournalLine[] = [];
      current = {
        stored: contentHash,
        lines,
        entry: { id, date, sourceId, description, eventIds: JSON.parse(eventIds) as string[], lines },
      };
    }
    current.lines.push({
      account,
      currency,
      amountMicros: BigInt(amountMicros),
      ...(lineDescription === null ? {} : { description: lineDescription }),
    });
  }
  if (current) yield hashesOf(current);
}

function hashesOf({ stored, entry }: { stored: string; entry: JournalEntry }): EntryHashes {
  return { id: entry.id, stored, content: entryContentHash(entry) };
}

/** Ids in the order both databases sort them: by bytes (SQLite's BINARY, PostgreSQL's "C"), which JavaScript's < is not beyond U+FFFF. */
function before(a: string, b: string): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
}
