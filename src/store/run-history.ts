import { sql, type Selectable } from 'kysely';
import type { RecordedRun } from '../ledger/index.js';
import type { RunTable } from './schema.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';
import { rowsOfIds } from './id-lists.js';

/** A recorded run as `status` shows it, its summary still JSON text. */
export interface RecordedRunRow extends RecordedRun {
  summary: string | null;
}

/** Recorded runs by their ids, as latestRunOf gives them (an id not found is left out); a few statements for hundreds of runs. */
export async function recordedRuns(
  store: LedgerStore,
  runIds: readonly string[],
): Promise<Map<string, RecordedRunRow>> {
  const runs = new Map<string, RecordedRunRow>();
  const rows = rowsOfIds(store, runIds, (ids) =>
    queryBuilder(store).selectFrom('runs').selectAll().where('id', 'in', ids),
  );
  for await (const row of rows) runs.set(row.id, recordedRunRow(row));
  return runs;
}

/**
 * Each command's latest run and its latest successful one (ok, attention), newest first: what `metrics` says per
 * command, however many runs of other commands came since (a queued night's workers record a close per source).
 */
export async function latestRunsOfEachCommand(store: LedgerStore): Promise<RecordedRunRow[]> {
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
  return (
    await store.all(
      db
        .selectFrom('runs')
        .selectAll()
        .where((eb) => eb.or([eb('runs.id', '=', latest(false)), eb('runs.id', '=', latest(true))]))
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc'),
    )
  ).map(recordedRunRow);
}

/** The latest `limit` recorded runs of any command (of `commands`, when given), newest first: the console's "last nights". */
export async function recentRuns(
  store: LedgerStore,
  limit: number,
  commands?: readonly string[],
): Promise<RecordedRunRow[]> {
  let query = queryBuilder(store).selectFrom('runs').selectAll();
  if (commands !== undefined) query = query.where('command', 'in', [...commands]);
  return (await store.all(query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit))).map(recordedRunRow);
}

function recordedRunRow(row: Selectable<RunTable>): RecordedRunRow {
  return {
    id: row.id,
    command: row.command,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    asOf: row.as_of,
    error: row.error,
    summary: row.summary,
  };
}
