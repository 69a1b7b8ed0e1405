import { hash } from 'node:crypto';
import { LedgerIntegrityError, PeriodClosedError, PeriodFiledError } from '../errors.js';
import { chainLinkForm2, entryContentText, rememberedQuoting } from './entry-chain.js';
import { rememberedTotalKeys } from './running-total-keys.js';
import type {
  BalanceFilter,
  BookLineRow,
  EntryToBook,
  EntryWindow,
  JournalBooks,
  JournalSeal,
} from './journal-books.js';
import {
  addMovements,
  centsApart,
  assertInvariant,
  renderCents,
  renderEntryCents,
  unbalancedMovements,
  unbalancedReason,
  bookedTaxOfColumns,
  type JournalEntry,
  type JournalLine,
  type RenderedEntry,
  type RenderedLine,
  type RunningTotalKey,
  type RunningTotalMovement,
} from '../rules/index.js';

type AppendOutcome = 'appended' | 'unchanged';

interface AppendMeta {
  runId?: string | undefined;
  now: Date;
}

/**
 * An entry not booked yet, with its content text (what its content hash and its chain link are made of), its event
 * ids' JSON and its lines' running total keys (rememberedTotalKeys: the totals' read, the cents and the movements share them).
 */
type FreshEntry = EntryToBook & { contentText: string; eventIdsJson: string; totalKeys: RunningTotalKey[] };

/**
 * Entries booked per round of statements: bounds the ids in one read and the rows held between writes. 256, not
 * 1,000: a chunk's rows then die young, before the scavenger has copied them twice and promoted them to the old
 * generation (bench/ledger-append.bench.mjs); a multiple of ROWS_PER_INSERT, so two-line entries fill whole statements.
 */
const APPEND_CHUNK = 256;
/** The names an append quotes once each (rememberedQuoting): an append's dates, sources, accounts and currencies are a few. */
const QUOTED_NAMES = 10_000;

interface AccountBalance {
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

/** Rendered lines per chunk an export reads: one await per chunk, and a chunk's text is one write. */
const EXPORT_CHUNK_ROWS = 500;

/**
 * The double-entry books: append-only, idempotent on entry ids, and the only
 * writer of journal entries. Appending an entry also fixes the cents every
 * destination will receive for it (see cent-rendering.ts), in the same
 * transaction.
 */
export class Ledger {
  /** The books stay inside: a use case that needs more of them is handed its own port. */
  constructor(private readonly books: JournalBooks) {}

  /** Runs `work` as one unit of work on the journal, through `tx`, this ledger bound to the unit's transaction. */
  unitOfWork<T>(work: (tx: Ledger) => Promise<T>): Promise<T> {
    return this.books.unit((books) => work(books === this.books ? this : new Ledger(books)));
  }

  /**
   * Runs a decision as one unit of work under the ledger's write lock: what `work` reads (is the item accepted
   * already? is the key booked?) stays true until what it writes commits, whoever else runs at once, on both engines.
   */
  decide<T>(work: (tx: Ledger) => Promise<T>): Promise<T> {
    return this.books.lockedUnit((books) => work(books === this.books ? this : new Ledger(books)));
  }

  close(): Promise<void> {
    return this.books.close();
  }

  /**
   * Books `entry` once. The same id with the same content is a no-op (a replay);
   * the same id with different content is refused, naming the id: books are
   * corrected by new entries, never by rewriting old ones.
   */
  async appendEntry(entry: JournalEntry, meta: AppendMeta): Promise<AppendOutcome> {
    const [outcome] = await this.appendEntries([entry], meta);
    return outcome!;
  }

  /**
   * Books `entries` in order in one unit of work, each exactly as appendEntry would one after the other (the
   * same seq order, cents, replays and refusals), but a chunk of entries at a time: one read of which are
   * booked, one write per table, and the running totals read once per account and written once at the end.
   * A refusal writes none of them.
   */
  async appendEntries(entries: readonly JournalEntry[], meta: AppendMeta): Promise<AppendOutcome[]> {
    const bookMeta = { runId: meta.runId ?? null, now: meta.now.toISOString() };
    return this.books.unit(async (books) => {
      // Outside a unit, `books` is the unit's own port: the append runs on a ledger bound to it.
      if (books !== this.books) return new Ledger(books).appendEntries(entries, meta);
      const outcomes: AppendOutcome[] = [];
      const totals = new Map<RunningTotalKey, bigint>();
      const drift = new Map<RunningTotalKey, bigint>();
      const movements = new Map<RunningTotalKey, RunningTotalMovement>();
      let seal: JournalSeal | undefined;
      const quoteName = rememberedQuoting(QUOTED_NAMES);
      const keysOf = rememberedTotalKeys();
      for (let start = 0; start < entries.length; start += APPEND_CHUNK) {
        const chunk = entries.slice(start, start + APPEND_CHUNK);
        const fresh = await this.freshEntries(chunk, outcomes, quoteName, keysOf);
        if (fresh.length > 0) seal ??= await this.books.journalSeal();
        await this.loadTotals(fresh, totals, drift);
        const toBook = fresh.map(({ entry, contentHash, contentText, eventIdsJson, totalKeys }) => {
          refuseClosedPeriod(entry, seal!);
          const cents = renderEntryCents(entry.sourceId, entry.lines, totals, totalKeys, {
            drift,
            reclassification: entry.reclassification,
          });
          addMovements(movements, entry.sourceId, entry.lines, cents, totalKeys);
          seal!.head = chainLinkForm2(seal!.head, {
            id: entry.id,
            contentText,
            contentHash,
            lineCents: cents.lineCents,
            roundingLines: cents.roundingLines,
          });
          return {
            entry,
            contentHash,
            eventIdsJson,
            chainHash: seal!.head,
            lineCents: cents.lineCents,
            roundingLines: cents.roundingLines,
          };
        });
        await this.books.insertEntries(toBook, bookMeta);
      }
      const unbalanced = unbalancedMovements(movements.values());
      assertInvariant(
        unbalanced === undefined,
        () =>
          `an append of ${entries.length} entries: the running totals it would advance do not balance, ${unbalanced}; nothing was committed`,
      );
      await this.books.advanceRunningTotals(movements.values());
      return outcomes;
    });
  }

  /** What appendEntries would refuse of entries not booked yet, without writing (a dry run's check): one dated in a closed period throws PeriodClosedError. */
  async refuseUnbookable(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const seal = await this.books.journalSeal();
    for (const entry of entries) if (!(await this.hasEntry(entry.id))) refuseClosedPeriod(entry, seal);
  }

  /** The chunk's entries not booked yet, each outcome pushed in order; the first refusal in order throws. */
  private async freshEntries(
    chunk: readonly JournalEntry[],
    outcomes: AppendOutcome[],
    quoteName: (name: string) => string,
    keysOf: (entry: JournalEntry) => RunningTotalKey[],
  ): Promise<FreshEntry[]> {
    const booked = await this.books.bookedEntryHashes(chunk.map((entry) => entry.id));
    const fresh: FreshEntry[] = [];
    for (const entry of chunk) {
      const reason = unbalancedReason(entry);
      if (reason) throw new LedgerIntegrityError(`journal entry ${entry.id} cannot be booked: ${reason}`);
      // The entry's content text is built once: its hash tells a replay from a rewrite, and it is the content of its chain link.
      const eventIdsJson = JSON.stringify(entry.eventIds);
      const contentText = entryContentText(entry, eventIdsJson, quoteName);
      const contentHash = hash('sha256', contentText, 'hex');
      const existing = booked.get(entry.id);
      if (existing === undefined) {
        booked.set(entry.id, contentHash);
        fresh.push({ entry, contentHash, contentText, eventIdsJson, totalKeys: keysOf(entry) });
        outcomes.push('appended');
      } else if (existing === contentHash) {
        outcomes.push('unchanged');
      } else {
        throw new LedgerIntegrityError(
          `journal entry ${entry.id} is already booked with different content; a correction must be a new entry`,
        );
      }
    }
    return fresh;
  }

  hasEntry(id: string): Promise<boolean> {
    return this.books.hasEntry(id);
  }

  /** Balance of every account (optionally one source's) from all entries dated on or before `asOf`. */
  async accountBalances(options: BalanceFilter = {}): Promise<AccountBalance[]> {
    return (await this.books.accountNets(options)).map((row) => ({
      account: row.account,
      currency: row.currency,
      balanceMicros: row.netMicros,
    }));
  }

  /** One account's balance in one currency (0 when it has no lines). */
  async balanceOf(account: string, currency: string, options: BalanceFilter = {}): Promise<bigint> {
    const row = (await this.accountBalances(options)).find(
      (balance) => balance.account === account && balance.currency === currency,
    );
    return row?.balanceMicros ?? 0n;
  }

  /** Debit and credit totals per account; the two grand totals are always equal. */
  async trialBalance(asOf?: string): Promise<TrialBalance> {
    const rows = (await this.books.debitCreditTotals(asOf)).map((row) => ({
      ...row,
      balanceMicros: row.debitMicros - row.creditMicros,
    }));
    return {
      asOf,
      rows,
      totalDebitMicros: rows.reduce((sum, row) => sum + row.debitMicros, 0n),
      totalCreditMicros: rows.reduce((sum, row) => sum + row.creditMicros, 0n),
    };
  }

  /** Entries as destinations receive them, in book order (date, source, id), streamed one entry at a time. */
  async *renderedEntries(window: EntryWindow = {}): AsyncGenerator<RenderedEntry> {
    let current: { entry: RenderedEntry; lines: RenderedLine[] } | undefined;
    for await (const [
      legacyPosition,
      id,
      date,
      sourceId,
      description,
      eventIds,
      account,
      currency,
      cents,
      lineDescription,
      ,
      ...tax
    ] of this.books.renderedLineRows(window)) {
      if (!current || current.entry.id !== id) {
        if (current) yield current.entry;
        const lines: RenderedLine[] = [];
        const legacy = legacyPosition === null ? {} : { legacyPosition: Number(legacyPosition) };
        current = {
          lines,
          entry: { id, ...legacy, date, sourceId, description, eventIds: JSON.parse(eventIds) as string[], lines },
        };
      }
      if (account !== null && currency !== null && cents !== null) {
        const booked = bookedTaxOfColumns(tax);
        current.lines.push({
          account,
          currency,
          cents,
          ...(lineDescription === null ? {} : { description: lineDescription }),
          ...(booked === undefined ? {} : { tax: booked }),
        });
      }
    }
    if (current) yield current.entry;
  }

  /** The rendered lines of the entries in the window with their entries' columns, in book order, a chunk of rows at a time (the generic export). */
  bookLineChunks(window: EntryWindow = {}): AsyncIterable<BookLineRow[]> {
    return this.books.bookLineChunks(window, EXPORT_CHUNK_ROWS);
  }

  /** Entries with their exact lines, in book order, streamed one entry at a time (the plain-text exports). */
  async *exactEntries(window: EntryWindow = {}): AsyncGenerator<JournalEntry> {
    let current: { entry: JournalEntry; lines: JournalLine[] } | undefined;
    for await (const row of this.books.journalLineRows(window)) {
      if (!current || current.entry.id !== row.id) {
        if (current) yield current.entry;
        const lines: JournalLine[] = [];
        current = {
          lines,
          entry: {
            id: row.id,
            date: row.date,
            sourceId: row.source_id,
            description: row.description,
            eventIds: [],
            lines,
          },
        };
      }
      const booked = bookedTaxOfColumns([
        row.taxed,
        row.tax_flow,
        row.tax_reverses,
        row.tax_code,
        row.tax_name,
        row.tax_rate,
        row.tax_side,
        row.tax_reverse_charge,
        row.tax_base_micros,
      ]);
      current.lines.push({
        account: row.account,
        currency: row.currency,
        amountMicros: BigInt(row.amount_micros),
        ...(booked === undefined ? {} : { tax: booked }),
      });
    }
    if (current) yield current.entry;
  }

  /**
   * The cents each entry would be rendered to if `entries` were appended now, in order, from the running
   * totals as they stand: what a dry run shows, exactly as a destination would receive it. Writes nothing.
   */
  async previewCents(entries: readonly JournalEntry[]): Promise<RenderedLine[][]> {
    const totals = new Map<RunningTotalKey, bigint>();
    const drift = new Map<RunningTotalKey, bigint>();
    const previews: RenderedLine[][] = [];
    for (const entry of entries) {
      await this.loadTotals([{ entry, totalKeys: rememberedTotalKeys()(entry) }], totals, drift);
      previews.push(
        renderCents(entry.sourceId, entry.lines, totals, { drift, reclassification: entry.reclassification }),
      );
    }
    return previews;
  }

  /**
   * The running totals of the entries' accounts not in `totals` yet (each line's by its key), as the ledger holds them,
   * and in `drift` the cents of each held apart from its rounded exact total by a reclassification (cent-rendering.ts).
   */
  private async loadTotals(
    entries: Iterable<{ entry: JournalEntry; totalKeys: readonly RunningTotalKey[] }>,
    totals: Map<RunningTotalKey, bigint>,
    drift: Map<RunningTotalKey, bigint>,
  ): Promise<void> {
    for (const { entry, totalKeys } of entries) {
      for (let index = 0; index < totalKeys.length; index += 1) {
        const key = totalKeys[index]!;
        if (totals.has(key)) continue;
        const line = entry.lines[index]!;
        const { exactMicros, cents } = await this.books.runningTotal(entry.sourceId, line.account, line.currency);
        totals.set(key, exactMicros);
        const apart = centsApart(line.account, exactMicros, cents);
        if (apart !== 0n) drift.set(key, apart);
      }
    }
  }
}

/**
 * An entry dated on or before the end of the last closed period is never booked (issue 42): 2026-03 closed →
 * 2026-03-31 refused, 2026-04-01 booked. Nor one on or before the end of the last period whose tax return was
 * filed (issue 70), named by the filed period it falls in (2026-Q1 filed → 2026-02-10 refused naming 2026-Q1).
 */
function refuseClosedPeriod(entry: JournalEntry, seal: JournalSeal): void {
  const closed = seal.lastClosed;
  if (closed !== undefined && entry.date <= closed.periodEnd)
    throw new PeriodClosedError(entry.id, entry.date, closed.period, closed.certificateSha256);
  const filed = seal.filed ?? [];
  if (filed.length > 0 && entry.date <= filed.at(-1)!.periodEnd)
    throw new PeriodFiledError(
      entry.id,
      entry.date,
      filed.find((period) => entry.date <= period.periodEnd)!,
    );
}

/**
 * A stable fingerprint of what an entry says, to tell a replay from a conflicting rewrite: the SHA-256 of its
 * content text (entry-chain.ts, entryContentText), JSON.stringify({ date, sourceId, description, eventIds,
 * lines: [[account, currency, micros, description]] }).
 */
export function entryContentHash(entry: JournalEntry): string {
  return hash('sha256', entryContentText(entry, JSON.stringify(entry.eventIds)), 'hex');
}
