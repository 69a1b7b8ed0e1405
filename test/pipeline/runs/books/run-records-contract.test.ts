import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunInProgressError } from '../../../../src/errors.js';
import { runRecords, type RunRecords } from '../../../../src/pipeline/runs/books/run-records.js';
import { openBooks, type Books } from '../../../support/books.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../../support/ledger-engines.js';
import { runRecordsInMemory } from '../../../support/run-records-double.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-run-records-');
const { fresh } = useLedgerEngines();
const opened: Books[] = [];
afterEach(async () => {
  for (const books of opened.splice(0)) await books.close();
});

/** The double and the store's adapter on each engine: one spec, so the double the unit tier uses cannot drift. */
const SUBJECTS: { name: string; open: () => Promise<RunRecords> }[] = [
  { name: 'the in-memory double', open: async () => runRecordsInMemory() },
  ...LEDGER_ENGINES.map((engine) => ({
    name: engine,
    open: async () => {
      const books = await openBooks((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
      opened.push(books);
      return books.of(runRecords);
    },
  })),
];

const at = (seconds: number) => new Date(Date.parse('2026-03-05T01:00:00.000Z') + seconds * 1000);
const STALE_AFTER_MS = 60_000;

describe.each(SUBJECTS)('the RunRecords contract: $name', ({ open }) => {
  it('keeps each run from its start to its end and reads them back newest first, summaries with bigints as text', async () => {
    const runs = await open();
    const first = await runs.unit((tx) => tx.recordStart('sync', '2026-03-03', at(0)));
    await runs.unit((tx) => tx.recordEnd(first, { outcome: 'ok', summary: { booked: 3n, days: ['a'] }, now: at(5) }));
    const second = await runs.unit((tx) => tx.recordStart('post', undefined, at(10)));
    await runs.unit((tx) => tx.recordEnd(second, { outcome: 'failed', error: 'UpstreamError: HTTP 503', now: at(12) }));
    const third = await runs.unit((tx) => tx.recordStart('sync', '2026-03-04', at(20)));

    expect(await runs.latestRunOf(['sync'])).toMatchObject({ id: third, finishedAt: null, outcome: null });
    expect(await runs.latestRunOf(['schedule'])).toBeUndefined();
    expect(await runs.recentRuns(2)).toMatchObject([
      { id: third, command: 'sync', asOf: '2026-03-04', startedAt: at(20).toISOString() },
      {
        id: second,
        command: 'post',
        asOf: null,
        outcome: 'failed',
        error: 'UpstreamError: HTTP 503',
        summary: undefined,
      },
    ]);
    expect((await runs.recentRuns(5)).map((run) => run.id)).toEqual([third, second, first]);
    expect(await runs.latestRunOf(['sync', 'post'])).toMatchObject({ id: third });
    // Only runs that kept a summary, as of the day asked or later.
    expect(await runs.runSummariesSince('sync', '2026-03-01')).toEqual([
      { asOf: '2026-03-03', summary: { booked: '3', days: ['a'] } },
    ]);
    expect(await runs.runSummariesSince('sync', '2026-03-04')).toEqual([]);
    expect(await runs.runMovements(first)).toEqual([]);
  });

  it('a unit that throws records nothing', async () => {
    const runs = await open();
    const broken = new Error('the disk is full');
    await expect(
      runs.unit(async (tx) => {
        await tx.recordStart('sync', '2026-03-04', at(0));
        throw broken;
      }),
    ).rejects.toBe(broken);
    expect(await runs.recentRuns(5)).toEqual([]);
  });

  it('one holder of the run lock at a time: refused while it beats, taken over once stale, its run closed as interrupted', async () => {
    const runs = await open();
    const holder = await runs.unit((tx) => tx.recordStart('schedule', '2026-03-04', at(0)));
    const next = 'run:next';
    const take = (now: Date, isAlive?: (pid: number) => boolean) =>
      runs.unit((tx) =>
        tx.takeRunLock({ runId: next, now, staleAfterMs: STALE_AFTER_MS, ...(isAlive && { isAlive }) }),
      );
    expect(await runs.unit((tx) => tx.takeRunLock({ runId: holder, now: at(0), staleAfterMs: STALE_AFTER_MS }))).toBe(
      undefined,
    );
    await runs.unit((tx) => tx.refreshRunLock(holder, at(50)));
    const refusal = take(at(100));
    await expect(refusal).rejects.toThrow(RunInProgressError);
    await expect(refusal).rejects.toThrow(
      `another ledgerline run (${holder}, pid ${process.pid} on ${hostname()}, since ${at(0).toISOString()}, ` +
        `running "ledgerline schedule") is using this ledger; try again when it finishes`,
    );

    expect(await take(at(111))).toEqual({
      runId: holder,
      pid: String(process.pid),
      host: hostname(),
      markedInterrupted: true,
    });
    expect(await runs.latestRunOf(['schedule'])).toMatchObject({
      id: holder,
      outcome: 'interrupted',
      finishedAt: at(111).toISOString(),
      error: `ended without releasing the ledger (pid ${process.pid} on ${hostname()}); taken over by ${next}`,
    });
    await runs.unit((tx) => tx.freeRunLock(next));
    await runs.unit((tx) => tx.freeRunLock(next));
  });

  it('a freed lock is taken with no one to take over from; a holder whose process is gone on this host is taken over at once', async () => {
    const runs = await open();
    const request = (runId: string, isAlive?: (pid: number) => boolean) => ({
      runId,
      now: at(0),
      staleAfterMs: STALE_AFTER_MS,
      ...(isAlive && { isAlive }),
    });
    await runs.unit((tx) => tx.takeRunLock(request('run:a')));
    await runs.unit((tx) => tx.freeRunLock('run:a'));
    expect(await runs.unit((tx) => tx.takeRunLock(request('run:b')))).toBeUndefined();
    // Taking it again is keeping it: no take-over from oneself.
    expect(await runs.unit((tx) => tx.takeRunLock(request('run:b')))).toBeUndefined();
    await expect(runs.unit((tx) => tx.takeRunLock(request('run:c')))).rejects.toThrow(RunInProgressError);
    expect(await runs.unit((tx) => tx.takeRunLock(request('run:c', () => false)))).toEqual({
      runId: 'run:b',
      pid: String(process.pid),
      host: hostname(),
      markedInterrupted: false,
    });
    await runs.unit((tx) => tx.freeRunLock('run:c'));
  });
});
