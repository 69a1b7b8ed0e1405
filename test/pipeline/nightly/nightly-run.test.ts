import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/alert.js';
import type { AlertSender } from '../../../src/alerts/alert-sender.js';
import { redactSecrets, type ScheduleConfig } from '../../../src/config/index.js';
import { AuthError, EXIT, LedgerIntegrityError, StopRequestedError, UpstreamError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log/logger.js';
import { sourceKinds } from '../../../src/pipeline/kinds/index.js';
import {
  nightSyncOf,
  runNightly,
  type NightlyRunDependencies,
  type PostDaysRequest,
  type PostDaysResult,
} from '../../../src/pipeline/nightly/nightly-run.js';
import type { SyncReport } from '../../../src/pipeline/runs/index.js';
import type { SourceSyncReport } from '../../../src/pipeline/sync/close-context.js';
import { finding } from '../../../src/rules/index.js';
import { useTempDir } from '../../support/temp-dir.js';
import { runRecordsInMemory, type RunRecordsDouble } from '../../support/run-records-double.js';

/** The run records in memory (test/support/run-records-double.ts): the night's protocol and branching are the subject here. */
const tempDir = useTempDir('ledgerline-nightly-');

const SECRET_KEY = 'panel-secret-key-0123456789';
/** 12:00 UTC on 4 March is 01:00 on 5 March in Auckland (UTC+13): yesterday there is 4 March, in UTC 3 March. */
const NOON_UTC_4_MARCH = Date.parse('2026-03-04T12:00:00.000Z');
const SCHEDULE: ScheduleConfig = { cron: '30 2 * * *', timezone: 'Pacific/Auckland', post: ['xero'] };

function booked(sourceId: string, extra: Partial<SourceSyncReport> = {}): SourceSyncReport {
  return { sourceId, outcome: 'booked', events: 1, entries: [], findings: [], quarantined: 0, ...extra };
}

interface Harness {
  records: RunRecordsDouble;
  deps: NightlyRunDependencies;
  alerts: Alert[];
  posts: Omit<PostDaysRequest, 'logger' | 'stopSignal' | 'onProgress'>[];
  syncs: string[];
  logLines: Record<string, unknown>[];
  stop: AbortController;
  advance(ms: number): void;
}

/** The sync a local night runs, as these tests stand it in: its report, read by nightSyncOf. */
type LocalSync = (request: { asOf: string; runId: string }) => Promise<SyncReport>;

async function harness(
  options: {
    sync?: LocalSync;
    postDays?: (request: PostDaysRequest) => Promise<PostDaysResult>;
    schedule?: ScheduleConfig;
    alertSender?: AlertSender;
    tokenStorePath?: string;
    isAlive?: (pid: number) => boolean;
  } = {},
): Promise<Harness> {
  const folder = tempDir();
  const records = runRecordsInMemory();
  let clock = NOON_UTC_4_MARCH;
  const now = () => new Date((clock += 1));
  const redact = (text: string) => redactSecrets(text, [SECRET_KEY]);
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger({
    format: 'json',
    level: 'debug',
    write: (line) => logLines.push(JSON.parse(line) as Record<string, unknown>),
    redact,
    clock: now,
    color: false,
  });
  const alerts: Alert[] = [];
  const posts: Harness['posts'] = [];
  const syncs: string[] = [];
  const stop = new AbortController();
  const deps: NightlyRunDependencies = {
    runs: records,
    schedule: options.schedule ?? SCHEDULE,
    sync: async (request) => {
      syncs.push(request.asOf);
      const findingWords = sourceKinds.findingWords();
      if (options.sync) return nightSyncOf(records, request.runId, await options.sync(request), findingWords);
      request.logger.child({ sourceId: 'smm-panel' }).info('taking the close');
      return nightSyncOf(
        records,
        request.runId,
        { asOf: request.asOf, dryRun: false, ordersFileProblems: [], sources: [booked('smm-panel')] },
        findingWords,
      );
    },
    postDays: async (request) => {
      posts.push({ destination: request.destination, days: request.days, runId: request.runId });
      request.logger.info('posting');
      return options.postDays ? options.postDays(request) : { exitCode: EXIT.ok, refused: [] };
    },
    alerts: options.alertSender ?? {
      send: async (alert) => {
        alerts.push(alert);
        return [];
      },
    },
    tokenExpiry: { tokenStorePath: options.tokenStorePath ?? join(folder, 'no-tokens.json'), withinDays: 14 },
    logger,
    now,
    stopSignal: stop.signal,
    redact,
    lock: { isAlive: options.isAlive ?? (() => true) },
  };
  return { records, deps, alerts, posts, syncs, logLines, stop, advance: (ms) => (clock += ms) };
}

/** The runs as the store's table holds them (the summary as JSON text), in the order they started. */
function runs(records: RunRecordsDouble) {
  return [...records.runs]
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map((run) => ({
      id: run.id,
      command: run.command,
      as_of: run.asOf,
      outcome: run.outcome,
      error: run.error,
      summary: run.summary === undefined ? null : JSON.stringify(run.summary),
      finished_at: run.finishedAt,
    }));
}

function lockRows(records: RunRecordsDouble) {
  return records.lock === undefined ? [] : [{ run_id: records.lock.runId }];
}

describe('a scheduled run', () => {
  it("syncs yesterday in the schedule's timezone, posts that day, records the run and releases the lock", async () => {
    const h = await harness();
    const result = await runNightly(h.deps);

    expect(result).toEqual({
      runId: result.runId,
      asOf: '2026-03-04',
      outcome: 'ok',
      exitCode: EXIT.ok,
      refused: false,
    });
    expect(h.syncs).toEqual(['2026-03-04']);
    expect(h.posts).toEqual([{ destination: 'xero', days: ['2026-03-04'], runId: result.runId }]);
    const [run] = runs(h.records);
    expect(run).toMatchObject({
      id: result.runId,
      command: 'schedule',
      as_of: '2026-03-04',
      outcome: 'ok',
      error: null,
    });
    expect(JSON.parse(run!.summary!)).toMatchObject({
      asOf: '2026-03-04',
      synced: true,
      posts: [{ destination: 'xero', days: ['2026-03-04'], outcome: 'ok' }],
      interrupted: false,
      sources: [
        {
          sourceId: 'smm-panel',
          outcome: 'booked',
          events: 1,
          entries: 0,
          findings: 0,
          quarantined: 0,
          booked: [],
          payouts: [],
          actionItems: [],
          informationItems: 0,
        },
      ],
    });
    expect(lockRows(h.records)).toEqual([]);
    expect(h.alerts).toEqual([]);
  });

  it('every log line of the run carries its runId and a sourceId key (null for run-wide lines)', async () => {
    const h = await harness();
    const result = await runNightly(h.deps);
    expect(h.logLines.length).toBeGreaterThanOrEqual(4);
    for (const line of h.logLines) {
      expect(line.runId).toBe(result.runId);
      expect(line).toHaveProperty('sourceId');
    }
    expect(h.logLines.find((line) => line.message === 'taking the close')?.sourceId).toBe('smm-panel');
    expect(h.logLines.find((line) => line.message === 'posting')).toMatchObject({
      sourceId: null,
      destination: 'xero',
    });
  });

  it('a day whose post failed is posted again by the next run; a day the scheduler did not sync never is', async () => {
    let failNext = true;
    const h = await harness({
      postDays: async () =>
        failNext
          ? {
              exitCode: EXIT.external,
              failure: { errorClass: 'UpstreamError', message: 'Xero: HTTP 503 after 5 attempts' },
              refused: [],
            }
          : { exitCode: EXIT.ok, refused: [] },
    });
    // A backfill by hand: recorded, but not the scheduler's.
    h.records.plantRun({
      id: 'run:backfill',
      command: 'sync',
      startedAt: '2026-03-04T00:00:00Z',
      asOf: '2026-03-01',
      finishedAt: '2026-03-04T00:01:00Z',
      outcome: 'ok',
      summary: { asOf: '2026-03-01' },
    });

    const first = await runNightly(h.deps);
    expect(first).toMatchObject({ outcome: 'failed', exitCode: EXIT.external });
    expect(h.alerts).toEqual([
      {
        kind: 'run_failed',
        title: 'ledgerline: the scheduled run of 2026-03-04 failed (xero: UpstreamError)',
        runId: first.runId,
        asOf: '2026-03-04',
        items: [
          {
            subject: 'xero',
            kind: 'UpstreamError',
            message: 'Xero: HTTP 503 after 5 attempts',
            nextStep: 'xero is failing or unreachable; check its status page: the next run tries again',
          },
        ],
      },
    ]);

    failNext = false;
    h.advance(24 * 60 * 60 * 1000);
    const second = await runNightly(h.deps);
    expect(second).toMatchObject({ asOf: '2026-03-05', outcome: 'ok' });
    expect(h.posts.map((post) => post.days)).toEqual([['2026-03-04'], ['2026-03-04', '2026-03-05']]);

    h.advance(24 * 60 * 60 * 1000);
    await runNightly(h.deps);
    expect(h.posts.at(-1)!.days).toEqual(['2026-03-06']);
  });

  it('a source that refuses its key: the run is recorded as failed, and the alert names the source and the next step, redacted', async () => {
    const h = await harness({
      sync: async (request) => ({
        asOf: request.asOf,
        dryRun: false,
        ordersFileProblems: [],
        sources: [
          booked('ads-publisher'),
          {
            sourceId: 'smm-panel',
            outcome: 'failed',
            events: 0,
            entries: [],
            findings: [],
            quarantined: 0,
            error: new AuthError('smm-panel', `HTTP 401 for ${SECRET_KEY}`),
          },
        ],
      }),
    });
    const result = await runNightly(h.deps);

    expect(result).toMatchObject({ outcome: 'failed', exitCode: EXIT.external });
    const [run] = runs(h.records);
    expect(run!.error).toBe(
      'AuthError: smm-panel: authentication failed (HTTP 401 for [redacted]); check the API key or credentials configured for smm-panel',
    );
    expect(run!.summary).not.toContain(SECRET_KEY);
    expect(h.alerts.map((alert) => alert.kind)).toEqual(['run_failed']);
    expect(h.alerts[0]!.items[0]).toMatchObject({
      subject: 'smm-panel',
      kind: 'AuthError',
      nextStep: 'check the API key configured for smm-panel',
    });
    // The other source booked its day, so that day is still posted.
    expect(h.posts.map((post) => post.days)).toEqual([['2026-03-04']]);
  });

  it("new findings and quarantined replies are alerted as discrepancies, and the destination's refusals too", async () => {
    const balanceFall = finding({
      kind: 'balance_fall',
      sourceId: 'smm-panel',
      date: '2026-03-04',
      ref: 'balance',
      message: 'the balance fell by 3.20 USD more than the charges explain',
    });
    const h = await harness({
      sync: async (request) => ({
        asOf: request.asOf,
        dryRun: false,
        ordersFileProblems: [],
        sources: [booked('smm-panel', { findings: [balanceFall], quarantined: 2 })],
      }),
      postDays: async () => ({
        exitCode: EXIT.attention,
        refused: [
          {
            entryId: 'journal:smm-panel:2026-03-04',
            date: '2026-03-04',
            reason: 'Xero: entry dated 2026-03-04 falls in a closed period',
          },
        ],
      }),
    });
    const result = await runNightly(h.deps);

    expect(result).toMatchObject({ outcome: 'attention', exitCode: EXIT.attention });
    expect(h.alerts).toHaveLength(1);
    expect(h.alerts[0]).toMatchObject({
      kind: 'discrepancies',
      title: 'ledgerline: the scheduled run of 2026-03-04 found 3 items to look at',
    });
    expect(h.alerts[0]!.items.map((item) => [item.subject, item.kind, item.message])).toEqual([
      ['smm-panel', 'balance_fall', '2026-03-04: the balance fell by 3.20 USD more than the charges explain'],
      ['smm-panel', 'quarantined_reply', '2 replies from smm-panel could not be read and were quarantined'],
      [
        'xero',
        'refused_entry',
        'journal:smm-panel:2026-03-04 (2026-03-04): Xero: entry dated 2026-03-04 falls in a closed period',
      ],
    ]);
  });

  it("names each late payout by source, id, amount and age among the night's discrepancies, read after the posts as of its day", async () => {
    const h = await harness();
    const asked: string[] = [];
    h.deps.lateMoneyInTransit = async (asOf) => {
      asked.push(`${asOf} after ${h.posts.length} post(s)`);
      return [
        {
          id: 'payelancer:ads-publisher:payout:2026-02-20',
          kind: 'payout',
          source: 'ads-publisher',
          amount: '312.40',
          currency: 'USD',
          reportedOn: '2026-02-20',
          ageDays: 12,
        },
      ];
    };
    const result = await runNightly(h.deps);

    expect(asked).toEqual(['2026-03-04 after 1 post(s)']);
    expect(result).toMatchObject({ outcome: 'attention', exitCode: EXIT.attention });
    expect(h.alerts.map((alert) => [alert.kind, alert.title])).toEqual([
      ['discrepancies', 'ledgerline: the scheduled run of 2026-03-04 found 1 item to look at'],
    ]);
    expect(h.alerts[0]!.items).toEqual([
      {
        subject: 'ads-publisher',
        kind: 'late_payout',
        message:
          'payout payelancer:ads-publisher:payout:2026-02-20 of 312.40 USD, reported 2026-02-20, is late: 12 days without its bank line',
        nextStep: expect.stringContaining(
          'ledgerline transit accept payelancer:ads-publisher:payout:2026-02-20',
        ) as unknown,
      },
    ]);
  });

  it('a sync that throws is recorded and alerted; the day it did not book is not posted', async () => {
    const h = await harness({
      sync: async () => {
        throw new LedgerIntegrityError('entry journal:smm-panel:2026-03-04 does not balance');
      },
    });
    const result = await runNightly(h.deps);
    expect(result).toMatchObject({ outcome: 'failed', exitCode: EXIT.internal });
    expect(h.posts).toEqual([]);
    expect(h.alerts[0]!.items).toEqual([
      {
        subject: 'ledger',
        kind: 'LedgerIntegrityError',
        message: 'entry journal:smm-panel:2026-03-04 does not balance',
        nextStep:
          'the ledger refused a write that would break it; please report this as a bug with the log of this run',
      },
    ]);
    expect(lockRows(h.records)).toEqual([]);
  });

  it('an alert channel that throws never fails the run', async () => {
    const h = await harness({
      sync: async (request) => ({
        asOf: request.asOf,
        dryRun: false,
        ordersFileProblems: [],
        sources: [{ ...booked('smm-panel'), outcome: 'failed', error: new UpstreamError('smm-panel', 'HTTP 502') }],
      }),
      alertSender: {
        send: async () => {
          throw new Error('socket hang up');
        },
      },
    });
    const result = await runNightly(h.deps);
    expect(result).toMatchObject({ outcome: 'failed', exitCode: EXIT.external });
    expect(runs(h.records)[0]!.outcome).toBe('failed');
    expect(h.logLines.map((line) => line.message)).toContain('alert not sent: socket hang up');
  });

  it('warns when a destination refresh token expires within alerts.tokenExpiryDays', async () => {
    const tokenStorePath = join(tempDir(), 'tokens.json');
    writeFileSync(
      tokenStorePath,
      JSON.stringify({
        version: 1,
        destinations: { quickbooks: { refreshTokenExpiresAt: '2026-03-10T00:00:00.000Z' } },
      }),
    );
    const h = await harness({ tokenStorePath });
    await runNightly(h.deps);
    expect(h.alerts.map((alert) => [alert.kind, alert.items.map((item) => item.message)])).toEqual([
      ['token_expiring', ['the refresh token for quickbooks expires at 2026-03-10T00:00:00.000Z (in 5 days)']],
    ]);
  });
});

describe('one run at a time, across processes', () => {
  it('a run refused by a live holder of the lock is recorded as refused (not failed) and alerted, and syncs nothing', async () => {
    const h = await harness();
    const since = new Date(NOON_UTC_4_MARCH).toISOString();
    h.records.plantLock({
      runId: 'run:other',
      pid: process.ppid,
      host: hostname(),
      acquiredAt: since,
      heartbeatAt: since,
    });

    const result = await runNightly(h.deps);

    expect(result).toMatchObject({ outcome: 'refused', exitCode: EXIT.busy, refused: true });
    expect(h.syncs).toEqual([]);
    const [run] = runs(h.records);
    expect(run).toMatchObject({ outcome: 'refused' });
    expect(run!.error).toMatch(/^another ledgerline run \(run:other, pid \d+ on .+\) is using this ledger/);
    expect(h.alerts[0]!.items[0]).toMatchObject({ subject: 'ledger', kind: 'RunInProgressError' });
    expect(lockRows(h.records)).toEqual([{ run_id: 'run:other' }]);
  });

  it("a killed run's lock is taken over, and the killed run is recorded as interrupted", async () => {
    const h = await harness({ isAlive: () => false });
    const startedAt = new Date(NOON_UTC_4_MARCH - 60_000).toISOString();
    h.records.plantRun({ id: 'run:killed', command: 'schedule', startedAt, asOf: '2026-03-04' });
    h.records.plantLock({
      runId: 'run:killed',
      pid: 4194304,
      host: hostname(),
      acquiredAt: startedAt,
      heartbeatAt: startedAt,
    });

    const result = await runNightly(h.deps);

    expect(result).toMatchObject({ outcome: 'ok', refused: false });
    const killed = runs(h.records).find((run) => run.id === 'run:killed')!;
    expect(killed.outcome).toBe('interrupted');
    expect(killed.error).toBe(
      `ended without releasing the ledger (pid 4194304 on ${hostname()}); taken over by ${result.runId}`,
    );
    expect(h.logLines.map((line) => line.message)).toContain(
      `took over the ledger from run run:killed (pid 4194304 on ${hostname()}), which ended without releasing it; it is recorded as interrupted`,
    );
  });

  it('the lock is held while the run works, with its heartbeat kept fresh', async () => {
    let holderDuringSync: unknown;
    const heartbeatsDuringSync = new Set<string>();
    const h: Harness = await harness({
      sync: async (request) => {
        for (let beat = 0; beat < 5; beat += 1) {
          await new Promise((resolve) => setTimeout(resolve, 15));
          heartbeatsDuringSync.add(String(h.records.lock!.heartbeatAt));
        }
        holderDuringSync = lockRows(h.records)[0];
        return { asOf: request.asOf, dryRun: false, ordersFileProblems: [], sources: [booked('smm-panel')] };
      },
    });
    h.deps.lock = { ...h.deps.lock, heartbeatMs: 5 };
    const result = await runNightly(h.deps);
    expect(holderDuringSync).toEqual({ run_id: result.runId });
    expect(heartbeatsDuringSync.size).toBeGreaterThan(1);
  });
});

describe('stopping', () => {
  it('a stop during the sync lets the sync finish and be recorded; the posts wait for the next run', async () => {
    const h: Harness = await harness({
      sync: async (request) => {
        h.stop.abort();
        return { asOf: request.asOf, dryRun: false, ordersFileProblems: [], sources: [booked('smm-panel')] };
      },
    });
    const result = await runNightly(h.deps);

    expect(result).toMatchObject({ outcome: 'interrupted', exitCode: EXIT.ok });
    expect(h.posts).toEqual([]);
    expect(JSON.parse(runs(h.records)[0]!.summary!)).toMatchObject({
      synced: true,
      posts: [{ destination: 'xero', days: ['2026-03-04'], outcome: 'skipped' }],
      interrupted: true,
    });
    expect(lockRows(h.records)).toEqual([]);

    const next = await harness();
    // The same ledger, a fresh process: the skipped day is carried over.
    next.deps.runs = h.records;
    next.advance(24 * 60 * 60 * 1000);
    await runNightly(next.deps);
    expect(next.posts.map((post) => post.days)).toEqual([['2026-03-04', '2026-03-05']]);
  });

  it.each([
    {
      how: 'its worker stopped mid-wait (StopRequestedError, exit 0) is no failure and no delivery',
      postDays: async () => ({
        exitCode: EXIT.ok,
        failure: {
          errorClass: 'StopRequestedError',
          message:
            'Xero: asked to stop while waiting to try a call again; nothing more was sent, the next post resumes',
        },
        refused: [],
      }),
    },
    {
      how: 'stopped before its delivery began (StopRequestedError thrown: its token request waiting) is no failure either',
      postDays: async () => {
        throw new StopRequestedError('Xero', 'to try its token request again');
      },
    },
  ])('a post step $how: the night is interrupted, its days carried over', async ({ postDays }) => {
    const h: Harness = await harness({ postDays });
    const result = await runNightly(h.deps);

    expect(result).toMatchObject({ outcome: 'interrupted', exitCode: EXIT.ok });
    expect(h.alerts).toEqual([]);
    expect(JSON.parse(runs(h.records)[0]!.summary!)).toMatchObject({
      posts: [{ destination: 'xero', days: ['2026-03-04'], outcome: 'skipped' }],
      interrupted: true,
    });

    const next = await harness();
    next.deps.runs = h.records;
    next.advance(24 * 60 * 60 * 1000);
    await runNightly(next.deps);
    expect(next.posts.map((post) => post.days)).toEqual([['2026-03-04', '2026-03-05']]);
  });
});
