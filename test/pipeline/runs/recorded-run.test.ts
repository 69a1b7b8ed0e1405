import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { RunInProgressError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log/logger.js';
import { withRecordedRun, type RecordedRunOptions } from '../../../src/pipeline/runs/recorded-run.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openBooks, type Books } from '../../support/books.js';
import { sqliteOf } from '../../support/sqlite-file.js';
import { runRecords } from '../../../src/pipeline/runs/index.js';

const tempDir = useTempDir('ledgerline-recorded-run-');
const booksOpen: Books[] = [];
afterEach(async () => {
  for (const books of booksOpen.splice(0)) await books.close();
});

const SECRET = 'secret-token-0123456789';

async function setUp() {
  const books = await openBooks(join(tempDir(), 'ledger.sqlite'));
  booksOpen.push(books);
  const warnings: string[] = [];
  const logger = createLogger({
    format: 'json',
    level: 'debug',
    write: (line) => {
      const record = JSON.parse(line) as { level: string; message: string };
      if (record.level === 'warn') warnings.push(record.message);
    },
    redact: (text) => text,
    clock: () => new Date(),
    color: false,
  });
  const options: RecordedRunOptions = {
    command: 'sync',
    asOf: '2026-03-04',
    logger: () => logger,
    now: () => new Date(),
    redact: (text) => text.replaceAll(SECRET, '[redacted]'),
  };
  const runs = () =>
    sqliteOf(books)
      .prepare('SELECT id, command, as_of, outcome, error, summary, finished_at FROM runs ORDER BY started_at')
      .all() as Record<string, string | null>[];
  const lockHolders = () =>
    sqliteOf(books).prepare('SELECT run_id, heartbeat_at FROM run_lock').all() as {
      run_id: string;
      heartbeat_at: string;
    }[];
  return { books, records: books.of(runRecords), options, warnings, runs, lockHolders };
}

describe('withRecordedRun', () => {
  it('records the outcome and summary the work gives, holding the lock only while the work runs', async () => {
    const { records, options, runs, lockHolders } = await setUp();
    let heldDuringWork: unknown[] = [];
    const end = await withRecordedRun(records, options, async (run) => {
      heldDuringWork = lockHolders().map((holder) => holder.run_id);
      expect(run.runId).toMatch(/^run:/);
      return {
        value: 42,
        record: { outcome: 'attention', summary: { booked: 3n }, error: `AuthError: HTTP 401 for ${SECRET}` },
      };
    });
    expect(end).toEqual({ kind: 'finished', runId: end.runId, value: 42 });
    expect(heldDuringWork).toEqual([end.runId]);
    expect(lockHolders()).toEqual([]);
    expect(runs()).toMatchObject([
      {
        id: end.runId,
        command: 'sync',
        as_of: '2026-03-04',
        outcome: 'attention',
        summary: '{"booked":"3"}',
        error: 'AuthError: HTTP 401 for [redacted]',
      },
    ]);
  });

  it('with a source lock, holds that lock (not the ledger run lock) only while the work runs, and releases it when the work throws', async () => {
    const { records, options, runs, lockHolders } = await setUp();
    const events: string[] = [];
    const hold = async () => {
      events.push('held');
      return { release: async () => void events.push('released') };
    };
    const end = await withRecordedRun(
      records,
      { ...options, command: 'close', lock: { kind: 'source', hold } },
      async () => {
        events.push(`work (run lock holders: ${lockHolders().length})`);
        throw new TypeError('the close broke');
      },
    );
    expect(end.kind).toBe('failed');
    expect(events).toEqual(['held', 'work (run lock holders: 0)', 'released']);
    expect(runs()[0]).toMatchObject({ command: 'close', outcome: 'failed', error: 'TypeError: the close broke' });
  });

  it('a source lock that cannot be taken refuses the run: recorded as refused (not failed), the work never runs', async () => {
    const { records, options, runs } = await setUp();
    const busy = new RunInProgressError('source smm-panel is being closed by another worker');
    let worked = false;
    const end = await withRecordedRun(
      records,
      { ...options, lock: { kind: 'source', hold: () => Promise.reject(busy) } },
      async () => {
        worked = true;
        return { value: 1, record: { outcome: 'ok' } };
      },
    );
    expect(end).toEqual({ kind: 'refused', runId: end.runId, error: busy });
    expect(worked).toBe(false);
    expect(runs()[0]).toMatchObject({
      outcome: 'refused',
      error: 'source smm-panel is being closed by another worker',
    });
  });

  it('a throwing work is recorded as failed with its class and redacted message, and the lock is released', async () => {
    const { records, options, runs, lockHolders } = await setUp();
    const boom = new TypeError(`cannot read ${SECRET}`);
    const end = await withRecordedRun(records, options, () => Promise.reject(boom));
    expect(end).toEqual({ kind: 'failed', runId: end.runId, error: boom });
    expect(lockHolders()).toEqual([]);
    expect(runs()[0]).toMatchObject({ outcome: 'failed', error: 'TypeError: cannot read [redacted]' });
    expect(runs()[0]!.finished_at).not.toBeNull();
  });

  it('refuses, without running the work, while another live run holds the lock, and records why', async () => {
    const { books, records, options, runs, lockHolders } = await setUp();
    const now = new Date().toISOString();
    // Another live process on this host: the one that started this test file's process.
    sqliteOf(books)
      .prepare(
        "INSERT INTO run_lock (name, run_id, pid, host, acquired_at, heartbeat_at) VALUES ('ledger', 'run:other', ?, ?, ?, ?)",
      )
      .run(process.ppid, hostname(), now, now);
    let worked = false;
    const end = await withRecordedRun(records, options, async () => {
      worked = true;
      return { value: undefined, record: { outcome: 'ok' } };
    });
    expect(end.kind).toBe('refused');
    expect(end.kind === 'refused' && end.error).toBeInstanceOf(RunInProgressError);
    expect(worked).toBe(false);
    expect(lockHolders().map((holder) => holder.run_id)).toEqual(['run:other']);
    expect(runs()[0]).toMatchObject({ outcome: 'refused' });
    expect(runs()[0]!.error).toMatch(/^another ledgerline run \(run:other, pid \d+ on .+\) is using this ledger/);
  });

  it('a failure known before the lock (refusedBy) refuses the run the same way', async () => {
    const { records, options, runs, lockHolders } = await setUp();
    const end = await withRecordedRun(records, { ...options, refusedBy: new Error('the sandbox is not running') }, () =>
      Promise.reject(new Error('not reached')),
    );
    expect(end.kind).toBe('refused');
    expect(lockHolders()).toEqual([]);
    expect(runs()[0]).toMatchObject({ outcome: 'failed', error: 'Error: the sandbox is not running' });
  });

  it('takes over the lock of a dead run with a warning, and marks that run interrupted', async () => {
    const { books, records, options, warnings, runs } = await setUp();
    const then = new Date(Date.now() - 60_000).toISOString();
    sqliteOf(books)
      .prepare("INSERT INTO runs (id, command, started_at, as_of) VALUES ('run:killed', 'sync', ?, '2026-03-04')")
      .run(then);
    sqliteOf(books)
      .prepare(
        "INSERT INTO run_lock (name, run_id, pid, host, acquired_at, heartbeat_at) VALUES ('ledger', 'run:killed', 4194304, ?, ?, ?)",
      )
      .run(hostname(), then, then);
    const end = await withRecordedRun(records, { ...options, isAlive: () => false }, async () => ({
      value: undefined,
      record: { outcome: 'ok' },
    }));
    expect(end.kind).toBe('finished');
    expect(warnings).toEqual([
      `took over the ledger from run run:killed (pid 4194304 on ${hostname()}), which ended without releasing it; it is recorded as interrupted`,
    ]);
    expect(runs().find((run) => run.id === 'run:killed')).toMatchObject({ outcome: 'interrupted' });
  });

  it('in a long-lived process, takes over from a run of this process that ended without writing its release (a full disk), and still refuses while one of them runs', async () => {
    const { books, records, options, warnings, runs } = await setUp();
    const now = new Date().toISOString();
    sqliteOf(books)
      .prepare("INSERT INTO runs (id, command, started_at, as_of) VALUES ('run:disk-full', 'sync', ?, '2026-03-04')")
      .run(now);
    // Its heartbeat is fresh and its pid is this live process: only this process knows the run is over.
    sqliteOf(books)
      .prepare(
        "INSERT INTO run_lock (name, run_id, pid, host, acquired_at, heartbeat_at) VALUES ('ledger', 'run:disk-full', ?, ?, ?, ?)",
      )
      .run(process.pid, hostname(), now, now);
    let inner: Awaited<ReturnType<typeof withRecordedRun>> | undefined;
    const end = await withRecordedRun(records, options, async () => {
      inner = await withRecordedRun(records, options, async () => ({ value: undefined, record: { outcome: 'ok' } }));
      return { value: undefined, record: { outcome: 'ok' } };
    });
    expect(end.kind).toBe('finished');
    expect(warnings).toEqual([
      `took over the ledger from run run:disk-full (pid ${process.pid} on ${hostname()}), which ended without releasing it; it is recorded as interrupted`,
    ]);
    expect(runs().find((run) => run.id === 'run:disk-full')).toMatchObject({ outcome: 'interrupted' });
    expect(inner?.kind).toBe('refused');
  });

  it('with heartbeatMs, refreshes the heartbeat while the work waits; beat() refreshes it at once', async () => {
    const { records, options, lockHolders } = await setUp();
    let clock = Date.parse('2026-03-05T00:00:00.000Z');
    const now = () => new Date((clock += 1000));
    const seen: string[] = [];
    await withRecordedRun(records, { ...options, now, heartbeatMs: 5 }, async (run) => {
      seen.push(lockHolders()[0]!.heartbeat_at);
      for (let tries = 0; tries < 4_000 && lockHolders()[0]!.heartbeat_at === seen[0]; tries += 1) await sleep(5);
      seen.push(lockHolders()[0]!.heartbeat_at);
      await run.beat();
      seen.push(lockHolders()[0]!.heartbeat_at);
      return { value: undefined, record: { outcome: 'ok' } };
    });
    expect(seen[1]! > seen[0]!).toBe(true);
    expect(seen[2]! > seen[1]!).toBe(true);
  });
});
