import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake, type XeroFakeOptions } from '../../sandbox/xero/fake.js';
import { reply, startLocalServer, type LocalServer } from '../http/local-server.js';
import { useTempDir } from '../support/temp-dir.js';
import { entryId, shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { SECRETS, assertBuilt, bookEntries, runCli, writeConfig } from './post-cli-harness.js';

interface ReceivedAlert {
  text: string;
  kind: string;
  items: { subject: string; kind: string; message: string; nextStep: string }[];
}

const tempDir = useTempDir('ledgerline-post-alerts-');
const charts = shippedChartsForFakes();
const closers: (() => Promise<void>)[] = [];

beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function xeroFake(options: XeroFakeOptions = {}): Promise<RunningXeroFake> {
  const server = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: charts.xero,
    ...options,
  });
  closers.push(server.close);
  return server;
}

async function alertReceiver(): Promise<LocalServer> {
  const server = await startLocalServer((_request, response) => reply(response, 200, 'ok'));
  closers.push(server.close);
  return server;
}

/** A Xero configuration with the alert webhook read from the environment, as a real one keeps it. */
function configWithAlerts(dir: string, xero: RunningXeroFake): string {
  return writeConfig(dir, { xero }, 'alerts:\n  webhookUrl: ${ALERT_WEBHOOK_URL}\n');
}

const entries = (count: number) =>
  Array.from({ length: count }, (_, index) => spendEntry(index + 1, `2024-02-${String(index + 1).padStart(2, '0')}`));

describe('ledgerline post sends alerts when they are configured', () => {
  it("a post that fails (a refused client secret) sends run_failed naming Xero, without the secret; the exit code is the failure's", async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const receiver = await alertReceiver();
    const config = configWithAlerts(dir, xero);
    await bookEntries(dir, entries(1));

    const run = await runCli(['post', 'xero', '--config', config], {
      cwd: dir,
      env: { XERO_CLIENT_SECRET: 'a-wrong-secret-value', ALERT_WEBHOOK_URL: `${receiver.url}/hook` },
    });

    expect(run.code).toBe(3);
    const alerts = receiver.received.map((request) => JSON.parse(request.body) as ReceivedAlert);
    expect(alerts.map((alert) => [alert.kind, alert.items.map((item) => `${item.subject} ${item.kind}`)])).toEqual([
      ['run_failed', ['xero AuthError']],
    ]);
    expect(alerts[0]!.text).toMatch(/^ledgerline: post to xero failed \(xero: AuthError\)\n/);
    expect(alerts[0]!.items[0]!.nextStep).toMatch(/^check destinations\.xero\.clientId and clientSecret/);
    for (const request of receiver.received) expect(request.body).not.toContain('a-wrong-secret-value');
  });

  it('entries the destination refuses are alerted as items to look at; the post still ends with exit 1', async () => {
    const dir = tempDir();
    const xero = await xeroFake({ periodLockDate: '2024-02-01' });
    const receiver = await alertReceiver();
    const config = configWithAlerts(dir, xero);
    await bookEntries(dir, entries(2));

    const run = await runCli(['post', 'xero', '--config', config], {
      cwd: dir,
      env: { ALERT_WEBHOOK_URL: `${receiver.url}/hook` },
    });

    expect(run.code).toBe(1);
    const alerts = receiver.received.map((request) => JSON.parse(request.body) as ReceivedAlert);
    expect(alerts.map((alert) => [alert.kind, alert.items.map((item) => `${item.subject} ${item.kind}`)])).toEqual([
      ['discrepancies', ['xero refused_entry']],
    ]);
    expect(alerts[0]!.text).toMatch(/^ledgerline: post to xero found 1 item to look at\n/);
    expect(alerts[0]!.items[0]!.message).toMatch(new RegExp(`^${entryId(1)} \\(2024-02-01\\): .*closed period`));
  });

  it('an alert webhook that cannot be reached never fails the post', async () => {
    const dir = tempDir();
    const xero = await xeroFake();
    const receiver = await startLocalServer((_request, response) => reply(response, 500, 'down'));
    closers.push(receiver.close);
    const config = configWithAlerts(dir, xero);
    await bookEntries(dir, entries(1));

    const run = await runCli(['post', 'xero', '--config', config], {
      cwd: dir,
      env: { XERO_CLIENT_SECRET: 'a-wrong-secret-value', ALERT_WEBHOOK_URL: `${receiver.url}/hook` },
      timeoutMs: 60_000,
    });

    expect(run.code).toBe(3);
    expect(receiver.received.length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/alert webhook refused the alert|alert not delivered to the webhook/);
  }, 70_000);
});
