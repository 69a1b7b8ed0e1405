import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alerts/alert.js';
import { EXIT, RunInProgressError, StopRequestedError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log/logger.js';
import { withRecordedResult } from '../../../src/pipeline/runs/recorded-result.js';
import type { RunAlerts } from '../../../src/pipeline/runs/run-alerts.js';
import { runRecordsInMemory } from '../../support/run-records-double.js';

/** The run records in memory (the mapping is the subject here; the protocol on the engines is recorded-run.test.ts's). */
function setUp() {
  const records = runRecordsInMemory();
  const sent: Alert[] = [];
  const alerts: RunAlerts = {
    sender: { send: (alert) => (sent.push(alert), Promise.resolve([])) },
    tokenExpiry: { tokenStorePath: '/nonexistent/ledgerline-recorded-result/no-tokens.json', withinDays: 7 },
    now: () => new Date('2026-03-05T01:00:00Z'),
  };
  const services = {
    logger: createLogger({
      format: 'json',
      level: 'error',
      write: () => undefined,
      redact: (text) => text,
      clock: () => new Date(),
      color: false,
    }),
    now: () => new Date('2026-03-05T01:00:00Z'),
    redact: (text: string) => text,
  };
  const runs = () =>
    records.runs.map(({ command, asOf, outcome, error, summary }) => ({ command, asOf, outcome, error, summary }));
  return { records, alerts, sent, services, runs };
}

describe('withRecordedResult: one mapping from a run result to its exit code, run record and alerts', () => {
  it('passes the exit code through and records 1 as attention, with the summary; no alert when nothing is wrong', async () => {
    const { records, alerts, sent, services, runs } = setUp();
    const exit = await withRecordedResult(
      records,
      { command: 'post', asOf: '2026-03-04', alerts: { to: alerts, label: 'post to xero' } },
      services,
      () => Promise.resolve({ exitCode: EXIT.attention, summary: { held: 2 } }),
    );
    expect(exit).toBe(EXIT.attention);
    expect(runs()).toEqual([
      { command: 'post', asOf: '2026-03-04', outcome: 'attention', error: null, summary: { held: 2 } },
    ]);
    expect(sent).toEqual([]);
  });

  it('records a run that says why it stopped short as failed, whatever its exit code', async () => {
    const { records, services, runs } = setUp();
    expect(
      await withRecordedResult(records, { command: 'sync' }, services, () =>
        Promise.resolve({ exitCode: EXIT.external, error: 'xero did not answer' }),
      ),
    ).toBe(EXIT.external);
    expect(runs()[0]).toMatchObject({ outcome: 'failed', error: 'xero did not answer' });
  });

  it('a run whose work a stop ended while it waited (StopRequestedError thrown) is interrupted: exit 0, no error, no alert', async () => {
    const { records, alerts, sent, services, runs } = setUp();
    const exit = await withRecordedResult(
      records,
      { command: 'post', alerts: { to: alerts, label: 'post to xero' } },
      services,
      () => Promise.reject(new StopRequestedError('Xero', 'to try its token request again')),
    );
    expect(exit).toBe(EXIT.ok);
    expect(runs()).toEqual([{ command: 'post', asOf: null, outcome: 'interrupted', error: null, summary: undefined }]);
    expect(sent).toEqual([]);
  });

  it('a refused run alerts its failure and throws it for the CLI to map', async () => {
    const { records, alerts, sent, services } = setUp();
    await records.unit((tx) => tx.takeRunLock({ runId: 'run:other', now: new Date(), staleAfterMs: 60_000 }));
    await expect(
      withRecordedResult(records, { command: 'sync', alerts: { to: alerts, label: 'sync' } }, services, () =>
        Promise.reject(new Error('not reached')),
      ),
    ).rejects.toThrow(RunInProgressError);
    expect(sent.map((alert) => alert.kind)).toEqual(['run_failed']);
  });
});
