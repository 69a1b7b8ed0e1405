import { sql, type Compilable, type RawBuilder } from 'kysely';
import { describePostgresUrl, isPostgresUrl } from '../config/index.js';
import { LedgerFileError, LedgerSealedError, UsageError } from '../errors.js';
import { refuseWritesOnceSealed } from './sealed-ledger.js';
import { adoptLedgerIdentity, readLedgerIdentity, sealLedger } from './ledger-identity.js';
import { LedgerStore, type LedgerTx } from './ledger-store.js';
import type { LedgerDatabase } from './schema.js';
import type { BankTables } from './bank-lines.js';
import type { SealTables } from './row-seals.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';
import { queryBuilder } from './query-builder.js';
import { CALL_BUDGET_COLUMNS } from './call-budgets.js';

type LedgerTable = keyof (LedgerDatabase & BankTables & SealTables) & string;

interface TableCopy {
  name: LedgerTable;
  columns: readonly string[];
  /** The identity column PostgreSQL numbers itself: copied as it is, its sequence moved past it after. */
  identity?: string;
}

/**
 * Every ledger table in an order the database accepts the rows in: a row after the rows it refers to, and journal lines
 * before their entries (an entry's lines are sealed once it exists; their reference to it is checked at commit).
 * test/store/copy-ledger.test.ts holds this list to the migrated schema; ledger_identity, the one row each database is
 * given when it is created, is carried over by itself (the copy takes the identity of the ledger it copies).
 */
export const LEDGER_TABLES: readonly TableCopy[] = [
  {
    name: 'raw_observations',
    identity: 'id',
    columns: [
      'id',
      'source_id',
      'action',
      'request',
      'as_of',
      'fetched_at',
      'http_status',
      'body',
      'content_hash',
      'run_id',
    ],
  },
  {
    name: 'webhook_inbox',
    identity: 'id',
    columns: ['id', 'source_id', 'kind', 'dedupe_key', 'received_at', 'body', 'status', 'note'],
  },
  {
    name: 'source_events',
    columns: ['id', 'source_id', 'kind', 'date', 'currency', 'amount_micros', 'ref', 'detail', 'run_id', 'created_at'],
  },
  {
    name: 'journal_lines',
    columns: ['entry_id', 'line_no', 'account', 'currency', 'amount_micros', 'description', 'cents'],
  },
  {
    name: 'journal_entries',
    identity: 'seq',
    columns: [
      'seq',
      'id',
      'date',
      'source_id',
      'description',
      'event_ids',
      'content_hash',
      'run_id',
      'created_at',
      'chain_hash',
    ],
  },
  { name: 'entry_events', columns: ['event_id', 'entry_id'] },
  { name: 'legacy_journal_numbers', columns: ['entry_id', 'ledger_position'] },
  { name: 'rendered_lines', columns: ['entry_id', 'line_no', 'account', 'currency', 'cents', 'description'] },
  {
    name: 'running_totals',
    columns: [
      'source_id',
      'account',
      'currency',
      'exact_micros',
      'debit_micros',
      'credit_micros',
      'debit_cents',
      'credit_cents',
    ],
  },
  {
    name: 'daily_movements',
    columns: [
      'date',
      'source_id',
      'account',
      'currency',
      'debit_micros',
      'credit_micros',
      'debit_cents',
      'credit_cents',
    ],
  },
  {
    name: 'deliveries',
    columns: [
      'entry_id',
      'destination',
      'state',
      'remote_id',
      'request_key',
      'attempts',
      'last_error',
      'updated_at',
      'exchange_rate',
      'rate_source',
    ],
  },
  { name: 'runs', columns: ['id', 'command', 'started_at', 'finished_at', 'outcome', 'as_of', 'summary', 'error'] },
  { name: 'run_lock', columns: ['name', 'run_id', 'pid', 'host', 'acquired_at', 'heartbeat_at', 'pid_started'] },
  { name: 'source_state', columns: ['source_id', 'key', 'value', 'updated_at'] },
  {
    name: 'source_closes',
    columns: ['source_id', 'date', 'metric', 'value_micros', 'currency', 'raw_observation_id', 'taken_at'],
  },
  {
    name: 'close_log',
    identity: 'id',
    columns: [
      'id',
      'source_id',
      'date',
      'run_id',
      'metric',
      'value_micros',
      'currency',
      'raw_observation_id',
      'taken_at',
    ],
  },
  { name: 'close_rereads', identity: 'id', columns: ['id', 'close_id', 'value_micros', 'run_id', 'created_at'] },
  {
    name: 'order_corrections',
    identity: 'id',
    columns: ['id', 'source_id', 'order_id', 'date', 'amount_micros', 'entry_id', 'run_id', 'created_at'],
  },
  // Before orders: copying an order writes its latest row here again (the trigger), the same row.
  { name: 'order_states_by_close', columns: ['source_id', 'order_id', 'date', 'state'] },
  { name: 'panel_balance_by_close', columns: ['source_id', 'date', 'state'] },
  {
    name: 'orders',
    columns: [
      'source_id',
      'order_id',
      'service',
      'quantity',
      'created_at',
      'discovered_via',
      'first_seen_date',
      'state',
      'terminal',
      'unknown_since',
      'last_observed_date',
      'updated_at',
    ],
  },
  {
    name: 'quarantine',
    identity: 'id',
    columns: [
      'id',
      'source_id',
      'raw_observation_id',
      'webhook_id',
      'item_ref',
      'reason',
      'as_of',
      'created_at',
      'resolved_at',
    ],
  },
  {
    name: 'discrepancies',
    columns: [
      'id',
      'kind',
      'source_id',
      'date',
      'amount_micros',
      'currency',
      'ref',
      'message',
      'created_at',
      'resolved_at',
    ],
  },
  { name: 'acknowledgements', identity: 'id', columns: ['id', 'item_id', 'action', 'note', 'os_user', 'at'] },
  {
    name: 'add_requests',
    columns: ['id', 'source_id', 'service', 'quantity', 'requested_at', 'received_at', 'kept_via'],
  },
  {
    name: 'add_outcomes',
    columns: [
      'request_id',
      'outcome',
      'order_id',
      'http_status',
      'raw_observation_id',
      'detail',
      'answered_at',
      'kept_via',
    ],
  },
  { name: 'adjustments', columns: ['entry_id', 'reason', 'made_by', 'made_at', 'explains', 'needs_approval'] },
  { name: 'adjustment_approvals', columns: ['entry_id', 'approved_by', 'approved_at'] },
  { name: 'adjustment_keys', columns: ['key', 'entry_id', 'request_sha256'] },
  { name: 'call_budgets', columns: CALL_BUDGET_COLUMNS },
  {
    name: 'fall_explanations',
    identity: 'id',
    columns: [
      'id',
      'finding_id',
      'source_id',
      'order_id',
      'amount_micros',
      'currency',
      'date',
      'event_id',
      'run_id',
      'created_at',
    ],
  },
  {
    name: 'bank_document_steps',
    identity: 'id',
    columns: [
      'id',
      'destination',
      'item_id',
      'step',
      'document_id',
      'kind',
      'amount_micros',
      'currency',
      'due_on',
      'clearing_account',
      'bank_account',
      'recorded_at',
    ],
  },
  {
    name: 'bank_statements',
    columns: ['account', 'sha256', 'file', 'format', 'lines_read', 'imported_at', 'account_number'],
  },
  {
    name: 'bank_lines',
    columns: [
      'account',
      'line_id',
      'booked_on',
      'amount_micros',
      'currency',
      'reference',
      'description',
      'statement_sha256',
      'entry_reference',
    ],
  },
  {
    name: 'transit_states',
    identity: 'id',
    columns: [
      'id',
      'item_id',
      'state',
      'as_of',
      'bank_account',
      'bank_line_id',
      'statement_sha256',
      'recorded_at',
      'document_id',
    ],
  },
  { name: 'transit_alerts', identity: 'id', columns: ['id', 'item_id', 'state', 'as_of', 'alerted_at'] },
  { name: 'row_seals', identity: 'position', columns: ['position', 'table_name', 'row_key', 'digest', 'link'] },
  {
    name: 'transit_links',
    identity: 'id',
    columns: ['id', 'item_id', 'action', 'account', 'line_id', 'os_user', 'at'],
  },
  {
    name: 'bank_statement_balances',
    columns: ['account', 'sha256', 'currency', 'opening_micros', 'opening_on', 'closing_micros', 'closing_on'],
  },
  {
    name: 'evidence_attachment_steps',
    identity: 'id',
    columns: [
      'id',
      'destination',
      'entry_id',
      'journal_id',
      'file_name',
      'manifest_sha256',
      'step',
      'attachment_id',
      'recorded_at',
    ],
  },
  // Last: no entry is booked on or before a closed period's end (migration 0018).
  {
    name: 'closed_periods',
    columns: ['period', 'period_end', 'chain_head', 'certificate_sha256', 'closed_at', 'closed_by'],
  },
  // The chain's records besides the entries (migration 0026): where form 2 starts, and the closes.
  { name: 'chain_forms', columns: ['form', 'from_seq'] },
  {
    name: 'chain_closes',
    columns: [
      'period',
      'period_end',
      'chain_head',
      'certificate_sha256',
      'closed_at',
      'closed_by',
      'after_seq',
      'chain_hash',
    ],
  },
];

/** Rows per INSERT: one round trip carries this many (PostgreSQL takes at most 65,535 values a statement). */
const ROWS_PER_INSERT = 500;
/** A batch is also sent once its text reaches this many characters: raw replies can be megabytes each. */
const CHARACTERS_PER_INSERT = 4_000_000;

export interface LedgerCopy<Proof> {
  /** What `prove` found, read inside the copy's transaction. */
  proof: Proof;
  /** False when `prove` found the copy unequal: it was rolled back and nothing of it kept. */
  kept: boolean;
}

/**
 * Copies the SQLite ledger at `from` into the empty PostgreSQL database at `to`, in one transaction. The file is opened
 * read-only and read in one snapshot, so nothing is written to it and a sync committing meanwhile is either wholly in
 * the copy or not at all. A database whose ledger tables hold any row is refused before anything is written to it (not
 * even the migrations); otherwise it is migrated first, then every table is streamed across in batches, with the
 * database's own rules (the balance check, the append-only triggers) on. `prove` reads both sides inside that
 * transaction, after the deferred checks have run: when it says the copy is unequal the transaction is rolled back.
 */
export async function copyLedgerToPostgres<Proof>(
  from: string,
  to: string,
  prove: (source: LedgerStore, target: LedgerStore) => Promise<{ proof: Proof; equal: boolean }>,
): Promise<LedgerCopy<Proof>> {
  if (isPostgresUrl(from))
    throw new UsageError(
      `migrate --to copies a SQLite ledger, and the configured ledger ${describePostgresUrl(from)} is already in PostgreSQL`,
    );
  if (!isPostgresUrl(to) || !URL.canParse(to))
    throw new UsageError(
      '--to must be a postgres://user@host:port/database URL (the password through PGPASSWORD or percent-encoded in the URL)',
    );
  const source = await SqliteLedgerStore.open(from, { readOnly: true });
  try {
    await refuseHeldDatabase(to);
    const identity = await readLedgerIdentity(source);
    if (identity.seal) throw new LedgerSealedError(from, identity.seal.movedTo, identity.seal.movedAt);
    const target = await LedgerStore.openAt(to);
    try {
      let proven: { proof: Proof; equal: boolean } | undefined;
      try {
        await target.unitOfWork((targetTx) =>
          source.unitOfWork(async (sourceTx) => {
            await lockEmptyLedger(targetTx);
            for (const table of LEDGER_TABLES) await copyTable(sourceTx, targetTx, table);
            await moveIdentities(targetTx);
            await adoptLedgerIdentity(targetTx, identity);
            // The balance of every entry is checked at commit; checked now, the proof reads books the database accepted.
            await targetTx.run(boundTo(targetTx, sql`SET CONSTRAINTS ALL IMMEDIATE`));
            proven = await prove(sourceTx, targetTx);
            if (!proven.equal) throw new CopyUnequal();
          }),
        );
      } catch (error) {
        if (error instanceof CopyUnequal && proven !== undefined) return { proof: proven.proof, kept: false };
        throw error;
      }
      return { proof: proven!.proof, kept: true };
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/**
 * Seals the SQLite ledger at `from` once its copy in `to` is committed: every writing command then refuses
 * the file, naming `to` without its password, so an old cron on it cannot deliver the same journals again.
 */
export async function sealMovedLedger(from: string, to: string, movedAt: string): Promise<string> {
  const movedTo = `postgres://${describePostgresUrl(to)}`;
  const store = await SqliteLedgerStore.open(from);
  try {
    await store.unitOfWork(async (tx) => {
      await sealLedger(tx, movedTo, movedAt);
      await refuseWritesOnceSealed(tx, movedTo, movedAt);
    });
  } finally {
    await store.close();
  }
  return movedTo;
}

/** Rolls the copy back when its proof fails; never leaves copyLedgerToPostgres. */
class CopyUnequal extends Error {}

/** Rows in every ledger table, in LEDGER_TABLES order. */
export async function ledgerTableCounts(store: LedgerStore): Promise<{ table: LedgerTable; rows: bigint }[]> {
  const counts: { table: LedgerTable; rows: bigint }[] = [];
  for (const { name } of LEDGER_TABLES) {
    const row = await store.first(boundTo(store, sql<{ n: bigint }>`SELECT COUNT(*) AS n FROM ${sql.table(name)}`));
    counts.push({ table: name, rows: BigInt(row?.n ?? 0n) });
  }
  return counts;
}

/** One journal line with its entry's columns, as entryLineRows streams them. */
export type EntryLineRow = [
  id: string,
  date: string,
  sourceId: string,
  description: string,
  eventIds: string,
  contentHash: string,
  account: string,
  currency: string,
  amountMicros: bigint,
  lineDescription: string | null,
];

/** Every entry with its exact lines, one row per line, by entry id then line: the same order on both engines. */
export function entryLineRows(store: LedgerStore): AsyncIterable<EntryLineRow> {
  const query = queryBuilder(store)
    .selectFrom('journal_entries as e')
    .innerJoin('journal_lines as l', 'l.entry_id', 'e.id')
    .select([
      'e.id',
      'e.date',
      'e.source_id',
      'e.description',
      'e.event_ids',
      'e.content_hash',
      'l.account',
      'l.currency',
      'l.amount_micros',
      'l.description as line_description',
    ])
    .orderBy('e.id')
    .orderBy('l.line_no');
  return store.iterateArrays(query) as AsyncIterable<EntryLineRow>;
}

/**
 * Refuses a database that already holds a ledger, naming it without its password, before the migrations
 * touch it. Its tables are looked up in the schema the connection uses: another schema's tables are not ours.
 */
async function refuseHeldDatabase(url: string): Promise<void> {
  const { openPostgresDatabase } = await import('./postgres/postgres-database.js');
  const db = await openPostgresDatabase(url, { maxConnections: 1 });
  try {
    const names = LEDGER_TABLES.map((table) => table.name);
    const existing = await sql<{
      name: string;
    }>`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY(${names})`.execute(db);
    const held: string[] = [];
    for (const { name } of existing.rows) {
      const row = await sql<{ held: boolean }>`SELECT EXISTS (SELECT 1 FROM ${sql.table(name)}) AS held`.execute(db);
      if (row.rows[0]?.held === true) held.push(name);
    }
    refuseIfHeld(describePostgresUrl(url), held);
  } finally {
    await db.destroy();
  }
}

/** Locks the ledger tables against every other writer until the copy commits, and checks again that they are empty. */
async function lockEmptyLedger(target: LedgerTx): Promise<void> {
  await target.run(
    boundTo(target, sql`LOCK TABLE ${sql.join(LEDGER_TABLES.map((table) => sql.table(table.name)))} IN EXCLUSIVE MODE`),
  );
  refuseIfHeld(
    target.path,
    (await ledgerTableCounts(target)).filter((count) => count.rows > 0n).map((count) => count.table),
  );
}

function refuseIfHeld(database: string, tablesWithRows: readonly string[]): void {
  if (tablesWithRows.length === 0) return;
  throw new LedgerFileError(
    `the PostgreSQL database ${database} already holds a ledger (rows in ${tablesWithRows.join(', ')}); migrate --to copies only into an empty database, and nothing was changed in it`,
  );
}

/** Streams one table across: rows read one at a time, sent ROWS_PER_INSERT (or CHARACTERS_PER_INSERT) at a time, their values bound. */
async function copyTable(source: LedgerStore, target: LedgerTx, table: TableCopy): Promise<void> {
  let batch: RawBuilder<unknown>[] = [];
  let characters = 0;
  const send = async (): Promise<void> => {
    await target.run(boundTo(target, insertStatement(table, batch)));
    batch = [];
    characters = 0;
  };
  const read = sql`SELECT ${sql.join(table.columns.map((column) => sql.ref(column)))} FROM ${sql.table(table.name)}`;
  for await (const values of source.iterateArrays(boundTo(source, read))) {
    for (const value of values) if (typeof value === 'string') characters += value.length;
    batch.push(sql`(${sql.join(values)})`);
    if (batch.length === ROWS_PER_INSERT || characters >= CHARACTERS_PER_INSERT) await send();
  }
  if (batch.length > 0) await send();
}

function insertStatement(table: TableCopy, rows: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
  const overriding = table.identity === undefined ? sql`` : sql`OVERRIDING SYSTEM VALUE`;
  return sql`INSERT INTO ${sql.table(table.name)} (${sql.join(table.columns.map((column) => sql.ref(column)))}) ${overriding}
    VALUES ${sql.join(rows)}`;
}

/** Each identity's sequence set to its table's highest copied value, so the next row numbered by the database follows it. */
async function moveIdentities(target: LedgerTx): Promise<void> {
  for (const { name, identity } of LEDGER_TABLES) {
    if (identity === undefined) continue;
    await target.run(
      boundTo(
        target,
        sql`SELECT setval(pg_get_serial_sequence(${name}, ${identity}), highest) FROM (SELECT MAX(${sql.ref(identity)}) AS highest FROM ${sql.table(name)}) copied WHERE highest IS NOT NULL`,
      ),
    );
  }
}

/** An `sql` template compiled for this store's dialect, as the store's calls take a query. */
function boundTo<Row>(store: LedgerStore, query: RawBuilder<Row>): Compilable<Row> {
  return { compile: () => query.compile(queryBuilder(store)) };
}
