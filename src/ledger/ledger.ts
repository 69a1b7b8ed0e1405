import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { LedgerIntegrityError } from '../errors.js';
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
    const { db } = this.store;
    return this.store.transaction(() => {
      const existing = this.store.first(db.selectFrom('journal_entries').select('content_hash').where('id', '=', entry.id));
      if (existing) {
        if (existing.content_hash === hash) return 'unchanged';
        throw new LedgerIntegrityError(
          `journal entry ${entry.id} is already booked with different content; a correction must be a new entry`,
        );
      }
      entry.lines.forEach((line, index) => {
        this.store.run(
          db.insertInto('journal_lines').values({
            entry_id: entry.id,
            line_no: index + 1,
            account: line.account,
            currency: line.currency,
            amount_micros: line.amountMicros,
            description: line.description ?? null,
          }),
        );
      });
      this.store.run(
        db.insertInto('journal_entries').values({
          id: entry.id,
          date: entry.date,
          source_id: entry.sourceId,
          description: entry.description,
          event_ids: JSON.stringify(entry.eventIds),
          content_hash: hash,
          run_id: meta.runId ?? null,
          created_at: meta.now.toISOString(),
        }),
      );
      this.renderAndStore(entry);
      for (const eventId of entry.eventIds) {
        this.store.run(db.updateTable('source_events').set({ entry_id: entry.id }).where('id', '=', eventId).where('entry_id', 'is', null));
      }
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

  private renderAndStore(entry: JournalEntry): void {
    const { db } = this.store;
    const totals = new Map<RunningTotalKey, bigint>();
    for (const line of entry.lines) {
      const key = runningTotalKey(entry.sourceId, line.account, line.currency);
      if (totals.has(key)) continue;
      const row = this.store.first(
        db
          .selectFrom('running_totals')
          .select('exact_micros')
          .where('source_id', '=', entry.sourceId)
          .where('account', '=', line.account)
          .where('currency', '=', line.currency),
      );
      totals.set(key, row ? BigInt(row.exact_micros) : 0n);
    }
    const rendered = renderCents(entry.sourceId, entry.lines, totals);
    rendered.forEach((line, index) => {
      this.store.run(
        db.insertInto('rendered_lines').values({
          entry_id: entry.id,
          line_no: index + 1,
          account: line.account,
          currency: line.currency,
          cents: line.cents,
          description: line.description ?? null,
        }),
      );
    });
    for (const [key, exact] of totals) {
      const [sourceId, account, currency] = JSON.parse(key) as [string, string, string];
      this.store.run(
        db
          .insertInto('running_totals')
          .values({ source_id: sourceId, account, currency, exact_micros: exact })
          .onConflict((conflict) => conflict.columns(['source_id', 'account', 'currency']).doUpdateSet({ exact_micros: exact })),
      );
    }
  }
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
