import type { CompiledQuery } from 'kysely';
import type pg from 'pg';
import { readAhead } from '../read-ahead.js';
import { copiedRowChunks } from './copied-rows.js';

/**
 * The planner's settings for each query, a window of tens of thousands of rows, local to its transaction. A hash
 * join scans every line of the ledger once per window (1,000,000 lines in 13 windows: the server's CPU 5.7 s
 * against 3.3 s for one sorted read); a nested loop reads only the window's lines off the indexes, and its sort
 * stays in memory (a window of 76,720 lines took 18 MB: 181 ms where the 4 MB default spilled to disk, 320 ms).
 * No parallel workers or JIT: the window ahead is prepared beside the client, on the second core.
 */
const WINDOW_PLAN = ['enable_hashjoin = off', 'enable_mergejoin = off', 'max_parallel_workers_per_gather = 0', 'jit = off', "work_mem = '32MB'"]
  .map((setting) => `SET LOCAL ${setting}`)
  .join('; ');

/**
 * The rows of each query in turn, up to `rowsPerChunk` at a time, each through COPY … TO STDOUT on a connection
 * of its own, every one in the snapshot the first connection exports (REPEATABLE READ, read only), so the
 * queries read one state of the ledger as one query would. The next query's COPY starts while the current
 * one's rows are taken (readAhead): the server sorts window k+1 while the caller formats window k. Memory stays
 * flat: the COPY ahead is read only as fast as its chunks are taken (copiedRowChunks), so it holds one chunk
 * and what its paused stream buffered (pg-copy-streams' 16 KiB and the socket's), the rest waiting in the server.
 */
export async function* copiedInTurn(connect: () => Promise<pg.PoolClient>, queries: readonly CompiledQuery[], rowsPerChunk: number): AsyncGenerator<unknown[][]> {
  const lead = await connect();
  let open = true;
  try {
    await lead.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${WINDOW_PLAN}`);
    const { rows } = await lead.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
    const snapshot = rows[0]!.snapshot;
    yield* readAhead(
      queries.map((query, index) => () => (index === 0 ? copiedRowChunks(lead, query, rowsPerChunk) : copiedInSnapshot(connect, snapshot, query, rowsPerChunk))),
    );
    await lead.query('COMMIT');
    open = false;
  } finally {
    lead.release(await ended(lead, open));
  }
}

/** One query's rows in the exported `snapshot`, on a connection of its own, given back when read or left. */
async function* copiedInSnapshot(connect: () => Promise<pg.PoolClient>, snapshot: string, query: CompiledQuery, rowsPerChunk: number): AsyncGenerator<unknown[][]> {
  const client = await connect();
  let open = true;
  try {
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT ${client.escapeLiteral(snapshot)}; ${WINDOW_PLAN}`);
    yield* copiedRowChunks(client, query, rowsPerChunk);
    await client.query('COMMIT');
    open = false;
  } finally {
    client.release(await ended(client, open));
  }
}

/** Whether the connection is broken: a transaction left open (a reader that stopped, a failure) is rolled back first. */
async function ended(client: pg.PoolClient, open: boolean): Promise<boolean> {
  if (!open) return false;
  return client.query('ROLLBACK').then(
    () => false,
    () => true,
  );
}
