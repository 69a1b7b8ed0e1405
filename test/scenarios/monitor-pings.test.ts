import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { closedPortUrl } from '../http/local-server.js';
import { copiedSyncedWorld } from '../support/built-worlds.js';
import { startHealthchecksReceiver, type HealthchecksReceiver } from '../support/healthchecks-receiver.js';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import { writeOrdersFile, type SyncedWorld } from './scenario-harness.js';

/**
 * `monitor.ping` through the CLI, against a Healthchecks-compatible receiver on 127.0.0.1 (test/support): the
 * night of 04-02 synced again in the five-day world, the ping URL read from the environment as a real one is.
 */

const HOUR_MS = 3_600_000;
const DAY = DAYS[DAYS.length - 1]!;

describe('sync pings the monitor as it starts and ends', { timeout: 120_000 }, () => {
  let world: SyncedWorld | undefined;
  let clockMs = Date.UTC(2026, 3, 3, 2, 30);
  const receivers: HealthchecksReceiver[] = [];

  beforeAll(async () => {
    world = await copiedSyncedWorld(script, 'monitor-pings', DAYS);
    const configPath = join(world.workspace.dir, 'ledgerline.yaml');
    const config = parseDocument(readFileSync(configPath, 'utf8'));
    config.setIn(['monitor', 'ping'], '${PING_URL}');
    writeFileSync(configPath, config.toString());
    await writeOrdersFile(world.sandbox, world.workspace.dir, DAY);
  }, 120_000);
  afterEach(async () => {
    for (const receiver of receivers.splice(0)) await receiver.close();
  });
  afterAll(() => world?.close());

  /** A check expecting a ping each day, with an hour's grace, on the test's clock. */
  async function receiver(): Promise<HealthchecksReceiver> {
    const started = await startHealthchecksReceiver({ periodMs: 24 * HOUR_MS, graceMs: HOUR_MS, now: () => clockMs });
    receivers.push(started);
    return started;
  }

  const sync = (env: Record<string, string>) =>
    world!.workspace.run(['sync', '--as-of', DAY, '--orders-file', 'orders.csv'], { ...world!.workspace.env, ...env });

  it('a sync pings /start, then its exit code 0 with the same rid and its one-line summary; the check is up', async () => {
    const check = await receiver();
    const run = await sync({ PING_URL: check.pingUrl });
    expect(run.code, run.stderr).toBe(0);
    expect(check.refused).toEqual([]);
    expect(check.pings.map((ping) => [ping.kind, ping.exitStatus])).toEqual([
      ['start', undefined],
      ['success', 0],
    ]);
    expect(check.pings[0]!.rid).toMatch(/^[0-9a-f-]{36}$/);
    expect(check.pings[1]!.rid).toBe(check.pings[0]!.rid);
    // The chain head the run left travels in the body: a witness the ledger file does not hold (issue 73).
    expect(check.pings[1]!.body).toMatch(
      new RegExp(`^sync as of ${DAY}: ok \\(exit 0\\)\\nchain head je:\\S+ sha256:[0-9a-f]{64} at position \\d+$`),
    );
    expect(check.status(clockMs)).toEqual({ state: 'up' });
  });

  it('a sync that fails (a refused panel key) pings its exit code 3, without the key; the check is down', async () => {
    const check = await receiver();
    const wrongKey = 'a-wrong-panel-key-5c9e10';
    const run = await sync({ PING_URL: check.pingUrl, PANEL_KEY: wrongKey });
    expect(run.code, run.stderr).toBe(3);
    expect(check.pings.map((ping) => [ping.kind, ping.exitStatus])).toEqual([
      ['start', undefined],
      ['fail', 3],
    ]);
    expect(check.pings[1]!.rid).toBe(check.pings[0]!.rid);
    expect(check.pings[1]!.body).toMatch(
      new RegExp(`^sync as of ${DAY}: failed \\(exit 3\\)\\nchain head je:\\S+ sha256:[0-9a-f]{64} at position \\d+$`),
    );
    for (const ping of check.pings) expect(ping.body).not.toContain(wrongKey);
    expect(check.status(clockMs)).toEqual({ state: 'down', why: 'the last run ended with exit status 3' });
  });

  it('a ping URL nobody answers leaves the exit code as it was and logs one warning naming the host, not the secret path', async () => {
    const secretPath = 'ping/0f3c9a2e-7b1d-4e8a-9c6f-2d5b8e1a4c70';
    const unreachable = await closedPortUrl();
    const run = await sync({ PING_URL: `${unreachable}/${secretPath}` });
    expect(run.code, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.includes('monitor ping'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`monitor ping to ${new URL(unreachable).host} not delivered`);
    expect(`${run.stdout}${run.stderr}`).not.toContain('0f3c9a2e-7b1d-4e8a-9c6f-2d5b8e1a4c70');
  });

  it('a night that never starts raises the alarm: after a success, no ping within period plus grace turns the check down', async () => {
    const check = await receiver();
    expect((await sync({ PING_URL: check.pingUrl })).code).toBe(0);
    const succeededAt = clockMs;
    // The next night's run never starts: nothing more arrives, and the receiver's clock moves on.
    expect(check.status(succeededAt + 24 * HOUR_MS + HOUR_MS - 1)).toEqual({ state: 'up' });
    expect(check.status(succeededAt + 24 * HOUR_MS + HOUR_MS + 1)).toEqual({
      state: 'down',
      why: 'no success ping within period plus grace',
    });
    expect(check.pings.filter((ping) => ping.kind === 'start' && ping.atMs > succeededAt)).toEqual([]);
  });

  it('a run that starts and never reports its end is down once the grace time has passed', async () => {
    const check = await receiver();
    const response = await fetch(`${check.pingUrl}/start?rid=${crypto.randomUUID()}`, {
      method: 'POST',
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(200);
    expect(check.status(clockMs + HOUR_MS - 1)).toEqual({ state: 'started' });
    expect(check.status(clockMs + HOUR_MS + 1)).toEqual({
      state: 'down',
      why: 'a run started and never reported its end',
    });
  });
});
