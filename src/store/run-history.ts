import type { Selectable } from 'kysely';
import type { RunTable } from './schema.js';
import type { LedgerStore } from './ledger-store.js';

/** The summaries of a command's recorded runs as of `since` or later (runs that wrote none are left out). */
export async function runSummariesSince(store: LedgerStore, command: string, since: string): Promise<{ as_of: string | null; summary: string | null }[]> {
  return await store.all(
    store.db.selectFrom('runs').select(['as_of', 'summary']).where('command', '=', command).where('as_of', '>=', since).where('summary', 'is not', null),
  );
}

/** A recorded run as `status` shows it, its summary still JSON text. */
export interface RecordedRunRow {
  id: string;
  command: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: string | null;
  asOf: string | null;
  error: string | null;
  summary: string | null;
}

/** The latest run of any of `commands`, running or finished. */
export async function latestRunOf(store: LedgerStore, commands: readonly string[]): Promise<RecordedRunRow | undefined> {
  const row = await store.first(store.db.selectFrom('runs').selectAll().where('command', 'in', [...commands]).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1));
  return row === undefined ? undefined : recordedRunRow(row);
}

/** One recorded run by its id, as latestRunOf gives it. */
export async function recordedRun(store: LedgerStore, runId: string): Promise<RecordedRunRow | undefined> {
  const row = await store.first(store.db.selectFrom('runs').selectAll().where('id', '=', runId));
  return row === undefined ? undefined : recordedRunRow(row);
}

function recordedRunRow(row: Selectable<RunTable>): RecordedRunRow {
  return { id: row.id, command: row.command, startedAt: row.started_at, finishedAt: row.finished_at, outcome: row.outcome, asOf: row.as_of, error: row.error, summary: row.summary };
}
