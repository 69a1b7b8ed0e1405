import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { LedgerIntegrityError } from '../errors.js';
import type { Database, Statement } from 'better-sqlite3';
import type { LedgerStore } from '../store/index.js';
import { unbalancedReason } from './balance-check.js';
import { renderCents, runningTotalKey, type RunningTotalKey } from './cent-rendering.js';
import type { JournalEntry } from './journal-entry.js';
import type { RenderedEntry, RenderedLine } from './rendered-entry.js';

export type AppendOutcome = 'appended' | 'unchanged';

export interface AccountBalance {
  account: string;
  currency: string;
  /** Debits minus credits, micro-units. */
  balanceMicros: bigint;
}

export interface TrialBalance {
  asOf: string | undefined;
  rows: (AccountBalance & { debitMicros: bigint; creditMicros: bigint })[];
  totalDebitMicros: bigint;
  totalCreditMicros: bigint;
}

export interface EntryWindow {
  from?: string | undefined;
  to?: string | undefined;
  sourceId?: string | undefined;
}

/**
 * The double-entry books: append-only, idempotent on entry ids, and the only
 * writer of journal entries. Appending an entry also fixes the cents every
 * destination will receive for it (see cent-rendering.ts), in the same
 * transaction.
 */
export class Ledger {
  private prepared: AppendStatements | undefined;

  constructor(readonly store: LedgerStore) {}

  /**
   * Books `entry` once. The same id with the same content is a no-op (a replay);
   * the same id with different content is refused, naming the id: books are
   * corrected by new entries, never by rewriting old ones.
   */
  appendEntry(entry: JournalEntry, meta: { runId?: string | undefined; now: Date }): AppendOutcome {
    const reason = unbalancedReason(entry);
    if (reason) throw new LedgerIntegrityError(`journal entry ${entry.id} cannot be booked: it ${reason}`);
    const hash = entryContentHash(entry);
    const sql = this.appendStatements;
    return this.store.transaction(() => {
      const existing = sql.findHash.get(entry.id) as { content_hash: string } | undefined;
      if (existing) {
        if (existing.content_hash === hash) return 'unchanged';
        throw new LedgerIntegrityError(
          `journal entry ${entry.id} is already booked with different content; a correction must be a new entry`,
        );
      }
      entry.lines.forEach((line, index) => {
        sql.insertLine.run(entry.id, index + 1, line.account, line.currency, line.amountMicros, line.description ?? null);
      });
      sql.insertEntry.run(
        entry.id,
        entry.date,
        entry.sourceId,
        entry.description,
        JSON.stringify(entry.eventIds),
        hash,
        meta.runId ?? null,
        meta.now.toISOString(),
      );
      this.renderAndStore(entry);
      for (const eventId of entry.eventIds) sql.linkEvent.run(entry.id, eventId);
      return 'appended';
    });
  }

  hasEntry(id: string): boolean {
    return this.store.first(this.store.db.selectFrom('journal_entries').select('id').where('id', '=', id)) !== undefined;
  }

  /** Balance of every account (optionally one source's) from all entries dated on or before `asOf`. */
  accountBalances(options: { asOf?: string | undefined; sourceId?: string | undefined } = {}): AccountBalance[] {
    const { db } = this.store;
    let query = db
      .selectFrom('journal_lines as l')
      .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
      .select(['l.account', 'l.currency', sql<bigint>`SUM(l.amount_micros)`.as('balance')])
      .groupBy(['l.account', 'l.currency'])
      .orderBy('l.account')
      .orderBy('l.currency');
    if (options.asOf) query = query.where('e.date', '<=', options.asOf);
    if (options.sourceId) query = query.where('e.source_id', '=', options.sourceId);
    return this.store.all(query).map((row) => ({ account: row.account, currency: row.currency, balanceMicros: BigInt(row.balance) }));
  }

  /** One account's balance in one currency (0 when it has no lines). */
  balanceOf(account: string, currency: string, options: { asOf?: string | undefined; sourceId?: string | undefined } = {}): bigint {
    const row = this.accountBalances(options).find((balance) => balance.account === account && balance.currency === currency);
    return row?.balanceMicros ?? 0n;
  }

  /** Debit and credit totals per account; the two grand totals are always equal. */
  trialBalance(asOf?: string): TrialBalance {
    const { db } = this.store;
    let query = db
      .selectFrom('journal_lines as l')
      .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
      .select([
        'l.account',
        'l.currency',
        sql<bigint>`SUM(CASE WHEN l.amount_micros > 0 THEN l.amount_micros ELSE 0 END)`.as('debit'),
        sql<bigint>`SUM(CASE WHEN l.amount_micros < 0 THEN -l.amount_micros ELSE 0 END)`.as('credit'),
      ])
      .groupBy(['l.account', 'l.currency'])
      .orderBy('l.account')
      .orderBy('l.currency');
    if (asOf) query = query.where('e.date', '<=', asOf);
    const rows = this.store.all(query).map((row) => {
      const debitMicros = BigInt(row.debit);
      const creditMicros = BigInt(row.credit);
      return { account: row.account, currency: row.currency, debitMicros, creditMicros, balanceMicros: debitMicros - creditMicros };
    });
    return {
      asOf,
      rows,
      totalDebitMicros: rows.reduce((sum, row) => sum + row.debitMicros, 0n),
      totalCreditMicros: rows.reduce((sum, row) => sum + row.creditMicros, 0n),
    };
  }

  /** Entries as destinations receive them, in ledger order, streamed one entry at a time. */
  *renderedEntries(window: EntryWindow = {}): IterableIterator<RenderedEntry> {
    const { db } = this.store;
    let query = db
      .selectFrom('journal_entries as e')
      .leftJoin('rendered_lines as r', 'r.entry_id', 'e.id')
      .select(['e.seq', 'e.id', 'e.date', 'e.source_id', 'e.description', 'e.event_ids', 'r.account', 'r.currency', 'r.cents', 'r.description as line_description'])
      .orderBy('e.seq')
      .orderBy('r.line_no');
    if (window.from) query = query.where('e.date', '>=', window.from);
    if (window.to) query = query.where('e.date', '<=', window.to);
    if (window.sourceId) query = query.where('e.source_id', '=', window.sourceId);
    let current: { entry: RenderedEntry; lines: RenderedLine[] } | undefined;
    for (const row of this.store.iterate(query)) {
      if (!current || current.entry.id !== row.id) {
        if (current) yield current.entry;
        const lines: RenderedLine[] = [];
        current = {
          lines,
          entry: {
            id: row.id,
            seq: Number(row.seq),
            date: row.date,
            sourceId: row.source_id,
            description: row.description,
            eventIds: JSON.parse(row.event_ids) as string[],
            lines,
          },
        };
      }
      if (row.account !== null && row.currency !== null && row.cents !== null) {
        current.lines.push({
          account: row.account,
          currency: row.currency,
          cents: BigInt(row.cents),
          ...(row.line_description === null ? {} : { description: row.line_description }),
        });
      }
    }
    if (current) yield current.entry;
  }

  /**
   * The cents each entry would be rendered to if `entries` were appended now, in order, from the running
   * totals as they stand: what a dry run shows, exactly as a destination would receive it. Writes nothing.
   */
  previewCents(entries: readonly JournalEntry[]): RenderedLine[][] {
    const sql = this.appendStatements;
    const totals = new Map<RunningTotalKey, bigint>();
    return entries.map((entry) => {
      for (const line of entry.lines) {
        const key = runningTotalKey(entry.sourceId, line.account, line.currency);
        if (totals.has(key)) continue;
        const row = sql.findTotal.get(entry.sourceId, line.account, line.currency) as { exact_micros: bigint } | undefined;
        totals.set(key, row ? row.exact_micros : 0n);
      }
      return renderCents(entry.sourceId, entry.lines, totals);
    });
  }

  private renderAndStore(entry: JournalEntry): void {
    const sql = this.appendStatements;
    const totals = new Map<RunningTotalKey, bigint>();
    for (const line of entry.lines) {
      const key = runningTotalKey(entry.sourceId, line.account, line.currency);
      if (totals.has(key)) continue;
      const row = sql.findTotal.get(entry.sourceId, line.account, line.currency) as { exact_micros: bigint } | undefined;
      totals.set(key, row ? row.exact_micros : 0n);
    }
    const rendered = renderCents(entry.sourceId, entry.lines, totals);
    rendered.forEach((line, index) => {
      sql.insertRendered.run(entry.id, index + 1, line.account, line.currency, line.cents, line.description ?? null);
    });
    for (const [key, exact] of totals) {
      const [sourceId, account, currency] = JSON.parse(key) as [string, string, string];
      sql.upsertTotal.run(sourceId, account, currency, exact);
    }
  }

  /**
   * The append path runs once per entry, millions of times in a backfill, so
   * its statements are prepared once here rather than built by the query
   * builder on every call.
   */
  private get appendStatements(): AppendStatements {
    this.prepared ??= prepareAppendStatements(this.store.sqlite);
    return this.prepared;
  }
}

interface AppendStatements {
  findHash: Statement;
  insertLine: Statement;
  insertEntry: Statement;
  linkEvent: Statement;
  findTotal: Statement;
  insertRendered: Statement;
  upsertTotal: Statement;
}

function prepareAppendStatements(sqlite: Database): AppendStatements {
  return {
    findHash: sqlite.prepare('SELECT content_hash FROM journal_entries WHERE id = ?'),
    insertLine: sqlite.prepare(
      'INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros, description) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertEntry: sqlite.prepare(
      'INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    linkEvent: sqlite.prepare('UPDATE source_events SET entry_id = ? WHERE id = ? AND entry_id IS NULL'),
    findTotal: sqlite.prepare('SELECT exact_micros FROM running_totals WHERE source_id = ? AND account = ? AND currency = ?'),
    insertRendered: sqlite.prepare(
      'INSERT INTO rendered_lines (entry_id, line_no, account, currency, cents, description) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    upsertTotal: sqlite.prepare(
      'INSERT INTO running_totals (source_id, account, currency, exact_micros) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (source_id, account, currency) DO UPDATE SET exact_micros = excluded.exact_micros',
    ),
  };
}

/** A stable fingerprint of what an entry says, to tell a replay from a conflicting rewrite. */
export function entryContentHash(entry: JournalEntry): string {
  const canonical = JSON.stringify({
    date: entry.date,
    sourceId: entry.sourceId,
    description: entry.description,
    eventIds: entry.eventIds,
    lines: entry.lines.map((line) => [line.account, line.currency, line.amountMicros.toString(), line.description ?? null]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
