import { sql } from 'kysely';
import type { RecordedRun } from '../../../ledger/index.js';
import { queryBuilder, type StoreHandle, statements } from '../../../store/index.js';

/** A recorded run as `status` shows it, its summary still JSON text. */
export interface RecordedRunRow extends RecordedRun {
  summary: string | null;
}

/** The runs' columns under the names a recorded run has. */
const RUN_COLUMNS = [
  'id',
  'command',
  'started_at as startedAt',
  'finished_at as finishedAt',
  'outcome',
  'as_of as asOf',
  'error',
  'summary',
] as const;

/** Recorded runs by their ids, as latestRunOf gives them (an id not found is left out); a few statements for hundreds of runs. */
export async function recordedRuns(
  store: StoreHandle,
  runIds: readonly string[],
): Promise<Map<string, RecordedRunRow>> {
  const runs = new Map<string, RecordedRunRow>();
  const rows = statements.rowsOfIds(store, runIds, (ids) =>
    queryBuilder(store).selectFrom('runs').select(RUN_COLUMNS).where('id', 'in', ids),
  );
  for await (const row of rows) runs.set(row.id, row);
  return runs;
}

/**
 * Each command's latest run and its latest successful one (ok, attention), newest first: what `metrics` says per
 * command, however many runs of other commands came since (a queued night's workers record a close per source).
 */
export async function latestRunsOfEachCommand(store: StoreHandle): Promise<RecordedRunRow[]> {
  const db = queryBuilder(store);
  const latest = (succeeded: boolean) =>
    db
      .selectFrom('runs as later')
      .select('later.id')
      .where('later.command', '=', sql.ref<string>('runs.command'))
      .$if(succeeded, (query) => query.where('later.outcome', 'in', ['ok', 'attention']))
      .orderBy('later.started_at', 'desc')
      .orderBy('later.id', 'desc')
      .limit(1);
  return store.all(
    db
      .selectFrom('runs')
      .select(RUN_COLUMNS)
      .where((eb) => eb.or([eb('runs.id', '=', latest(false)), eb('runs.id', '=', latest(true))]))
      .orderBy('runs.started_at', 'desc')
      .orderBy('runs.id', 'desc'),
  );
}

/** The latest `limit` recorded runs of any command (of `commands`, when given), newest first: the console's "last nights". */
export async function recentRuns(
  store: StoreHandle,
  limit: number,
  commands?: readonly string[],
): Promise<RecordedRunRow[]> {
  let query = queryBuilder(store).selectFrom('runs').select(RUN_COLUMNS);
  if (commands !== undefined) query = query.where('command', 'in', [...commands]);
  return store.all(query.orderBy('runs.started_at', 'desc').orderBy('runs.id', 'desc').limit(limit));
}
