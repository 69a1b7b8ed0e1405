import { readFileSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { configuredAlerts } from '../../src/app/configured-alerts.js';
import { loadConfig } from '../../src/config/index.js';
import { createSystemClock } from '../../src/http/index.js';
import { createLogger } from '../../src/log/logger.js';
import { configKinds } from '../../src/pipeline/kinds/index.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-configured-alerts-');

/** A sync's alert as run-alerts.ts makes it: the title names the run, each item its source and next step. */
const ALERT: Alert = {
  kind: 'discrepancies',
  title: 'ledgerline: sync as of 2026-03-08 found 1 item to look at',
  runId: 'run:2026-03-09T02:30:00.000Z:abcd1234',
  asOf: '2026-03-08',
  items: [
    {
      subject: 'panel-01',
      kind: 'balance_fall',
      message: '2026-03-08: panel balance 81.96919 USD is 5.235 below what the ledger explains (87.20419)',
      nextStep: 'run `ledgerline reconcile` to see it with the other open items',
    },
  ],
};

/** Sends ALERT through the alerts `sync` and `post` are given for the configuration as `entity` sees it; the payload the command channel got. */
async function sentAs(entities: boolean, entity?: string): Promise<{ text: string; items: Alert['items'] }> {
  const dir = tempDir();
  const lines = [
    'timezone: UTC',
    'currency: USD',
    'payouts: { method: paypal }',
    'alerts: { command: "cat > alert.json" }',
    'sources: []',
    ...(entities
      ? ['entities:', '  north: { ledger: ./north/ledger.sqlite }', '  south: { ledger: ./south/ledger.sqlite }']
      : ['ledger: ./ledger.sqlite']),
  ];
  writeFileSync(join(dir, 'ledgerline.yaml'), `${lines.join('\n')}\n`);
  const config = loadConfig({ kinds: configKinds(), env: { PATH: process.env.PATH }, cwd: dir, entity });
  const logger = createLogger({
    format: 'json',
    level: 'error',
    write: () => undefined,
    redact: (text) => text,
    clock: () => new Date(0),
    color: false,
  });
  const process_ = {
    env: { PATH: process.env.PATH },
    stderr: new PassThrough(),
    logger,
    addSecrets: () => undefined,
    redact: (text: string) => text,
    now: () => new Date('2026-03-09T02:30:00Z'),
    clock: createSystemClock(),
    stopSignal: new AbortController().signal,
    ledger: { mode: 'create' as const, command: 'sync' },
  };
  const [delivery] = await configuredAlerts(process_, config)!.sender.send(ALERT);
  expect(delivery?.delivered).toBe(true);
  return JSON.parse(readFileSync(join(dir, 'alert.json'), 'utf8')) as { text: string; items: Alert['items'] };
}

describe("an entity's run alerts, in a practice's one alert channel", () => {
  it("name the entity in the title and give each next step its --entity, as the entity's ping body and the queue do", async () => {
    const sent = await sentAs(true, 'north');
    expect(sent.text.split('\n')[0]).toBe('ledgerline: north: sync as of 2026-03-08 found 1 item to look at');
    expect(sent.items[0]!.nextStep).toBe(
      'run `ledgerline reconcile --entity north` to see it with the other open items',
    );
    expect(sent.text).toContain('next step: run `ledgerline reconcile --entity north` to see it');
  });

  it('are unchanged in a file without entities:', async () => {
    const sent = await sentAs(false);
    expect(sent.text.split('\n')[0]).toBe(ALERT.title);
    expect(sent.items[0]!.nextStep).toBe(ALERT.items[0]!.nextStep);
  });
});
