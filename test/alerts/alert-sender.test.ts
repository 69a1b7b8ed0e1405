import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { createAlertSender, type AlertSenderOptions } from '../../src/alerts/alert-sender.js';
import { redactSecrets } from '../../src/config/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createFakeClock } from '../http/fake-clock.js';
import { closedPortUrl, reply, startLocalServer, type LocalServer } from '../http/local-server.js';
import { useTempDir } from '../support/temp-dir.js';

const SECRET_KEY = 'panel-secret-key-0123456789';

const ALERT: Alert = {
  kind: 'run_failed',
  title: 'ledgerline: the scheduled run of 2026-03-04 failed (smm-panel: AuthError)',
  runId: 'run:2026-03-05T02:30:00.000Z:abcd1234',
  asOf: '2026-03-04',
  items: [
    {
      subject: 'smm-panel',
      kind: 'AuthError',
      message: `smm-panel: authentication failed (key ${SECRET_KEY} refused); check the API key or credentials configured for smm-panel`,
      nextStep: 'check the API key configured for smm-panel',
    },
  ],
};

const servers: LocalServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
const tempDir = useTempDir('ledgerline-alerts-');

function sender(overrides: Partial<AlertSenderOptions> & { secrets?: string[] }) {
  const lines: string[] = [];
  const secrets = overrides.secrets ?? [SECRET_KEY];
  const redact = (text: string) => redactSecrets(text, secrets);
  const logger = createLogger({
    format: 'json',
    level: 'debug',
    write: (line) => lines.push(line),
    redact,
    clock: () => new Date(0),
    color: false,
  });
  const clock = createFakeClock();
  const alerts = createAlertSender({
    cwd: tempDir(),
    env: { PATH: process.env.PATH },
    logger,
    redact,
    clock,
    random: () => 1,
    retry: { maxAttempts: 3, maxTotalMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 10_000 },
    timeoutMs: 2_000,
    ...overrides,
  });
  return { alerts, lines, clock };
}

describe('alert webhook', () => {
  it('an alert reaches the webhook as Slack-compatible JSON with every secret redacted', async () => {
    const server = await startLocalServer((_request, response) => reply(response, 200, 'ok'));
    servers.push(server);
    const { alerts } = sender({ webhookUrl: `${server.url}/hooks/ledgerline` });

    expect(await alerts.send(ALERT)).toEqual([{ channel: 'webhook', delivered: true, attempts: 1 }]);

    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).not.toContain(SECRET_KEY);
    expect(JSON.parse(request!.body)).toEqual({
      text: [
        'ledgerline: the scheduled run of 2026-03-04 failed (smm-panel: AuthError)',
        '• smm-panel: AuthError: smm-panel: authentication failed (key [redacted] refused); check the API key or credentials configured for smm-panel',
        '  next step: check the API key configured for smm-panel',
        'run run:2026-03-05T02:30:00.000Z:abcd1234',
      ].join('\n'),
      kind: 'run_failed',
      runId: 'run:2026-03-05T02:30:00.000Z:abcd1234',
      asOf: '2026-03-04',
      items: [
        {
          subject: 'smm-panel',
          kind: 'AuthError',
          message:
            'smm-panel: authentication failed (key [redacted] refused); check the API key or credentials configured for smm-panel',
          nextStep: 'check the API key configured for smm-panel',
        },
      ],
    });
  });

  it('a webhook answering 500 is tried three times with backoff, then given up without throwing', async () => {
    const server = await startLocalServer((_request, response) => reply(response, 500, '{"error":"down"}'));
    servers.push(server);
    const { alerts, lines, clock } = sender({ webhookUrl: `${server.url}/hooks/ledgerline` });

    expect(await alerts.send(ALERT)).toEqual([{ channel: 'webhook', delivered: false, attempts: 3 }]);
    expect(server.received).toHaveLength(3);
    expect(clock.sleeps).toEqual([1_000, 2_000]);
    expect(lines.filter((line) => JSON.parse(line).level === 'error').map((line) => JSON.parse(line).message)).toEqual([
      'alert not delivered to the webhook: alert webhook: POST alert: HTTP 500 after 3 attempts',
    ]);
  });

  it('a dead alert endpoint costs a bounded number of attempts and never throws', async () => {
    const { alerts, clock } = sender({ webhookUrl: await closedPortUrl() });
    expect(await alerts.send(ALERT)).toEqual([{ channel: 'webhook', delivered: false, attempts: 3 }]);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('a webhook refusing the alert (404) is not asked again', async () => {
    const server = await startLocalServer((_request, response) => reply(response, 404, 'no such hook'));
    servers.push(server);
    const { alerts } = sender({ webhookUrl: `${server.url}/hooks/gone` });
    expect(await alerts.send(ALERT)).toEqual([{ channel: 'webhook', delivered: false, attempts: 1 }]);
    expect(server.received).toHaveLength(1);
  });

  it("the webhook URL's token (a secret, like Slack's) never reaches the log", async () => {
    const server = await startLocalServer((_request, response) => reply(response, 503, ''));
    servers.push(server);
    const url = `${server.url}/services/T0000/B0000/XXXXSECRETTOKEN`;
    const { alerts, lines } = sender({ webhookUrl: url, secrets: [SECRET_KEY, url] });
    await alerts.send(ALERT);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('XXXXSECRETTOKEN');
  });
});

describe('alert command', () => {
  it('the command gets the alert as JSON on stdin, run in the configured folder', async () => {
    const folder = tempDir();
    const { alerts } = sender({ command: 'cat > received.json', cwd: folder });
    expect(await alerts.send(ALERT)).toEqual([{ channel: 'command', delivered: true, attempts: 1 }]);
    const received = JSON.parse(readFileSync(join(folder, 'received.json'), 'utf8')) as { kind: string; text: string };
    expect(received.kind).toBe('run_failed');
    expect(JSON.stringify(received)).not.toContain(SECRET_KEY);
    expect(received.text).toContain('next step: check the API key configured for smm-panel');
  });

  it('a failing command is tried three times, then reported with its stderr, without throwing', async () => {
    const folder = tempDir();
    const { alerts, lines, clock } = sender({
      command: 'echo try >> attempts.txt; echo "notifier is down" >&2; exit 4',
      cwd: folder,
    });
    expect(await alerts.send(ALERT)).toEqual([{ channel: 'command', delivered: false, attempts: 3 }]);
    expect(readFileSync(join(folder, 'attempts.txt'), 'utf8')).toBe('try\ntry\ntry\n');
    expect(clock.sleeps).toEqual([1_000, 2_000]);
    expect(lines.map((line) => JSON.parse(line).message)).toContain(
      'alert not delivered by alerts.command after 3 attempts: exit 4: notifier is down',
    );
  });

  it('a command that hangs is ended at the timeout, with whatever it started', async () => {
    const { alerts, lines } = sender({
      command: 'sleep 30 & sleep 30',
      timeoutMs: 200,
      retry: { maxAttempts: 1, maxTotalMs: 0, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const startedAt = Date.now();
    expect(await alerts.send(ALERT)).toEqual([{ channel: 'command', delivered: false, attempts: 1 }]);
    // Ended at its timeout, not after the 30 s it asked for (a bound far from both, for a loaded machine).
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    expect(lines.map((line) => JSON.parse(line).message)).toContain(
      'alert not delivered by alerts.command after 1 attempt: no exit within 200 ms',
    );
  });

  it('webhook and command both get the alert; one failing does not stop the other', async () => {
    const folder = tempDir();
    const { alerts } = sender({ webhookUrl: await closedPortUrl(), command: 'cat > received.json', cwd: folder });
    expect(await alerts.send(ALERT)).toEqual([
      { channel: 'webhook', delivered: false, attempts: 3 },
      { channel: 'command', delivered: true, attempts: 1 },
    ]);
  });
});
