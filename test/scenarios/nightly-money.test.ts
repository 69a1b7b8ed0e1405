import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { startLocalServer, reply, type LocalServer } from '../http/local-server.js';
import { copiedSyncedWorld } from '../support/built-worlds.js';
import { FIVE_DAYS, FIVE_DAYS_ACROSS_MONTH_END } from './five-days-across-month-end.js';
import {
  runLedgerline,
  scratchDir,
  setSandboxDay,
  writeOrdersFile,
  type CliResult,
  type SyncedWorld,
} from './scenario-harness.js';

/**
 * The night of 2026-03-31 in the five-day month-end world (see five-days-across-month-end.ts),
 * after the closes of 03-29 and 03-30, worked out by hand:
 *   ads-publisher  earnings 40.00 → 70.00: Dr payelancer_receivable 30.00, Cr ad_revenue 30.00;
 *                  owed at month end 30.00 (03-30) + 30.00 = 60.00 ≥ 50.00 → payout 60.00 by paypal:
 *                  Dr payout_clearing_paypal 60.00, Cr payelancer_receivable 60.00 → receivable net Cr 30.00
 *   smm-panel      R-2 Partial remains 157: refund 0.90 × 157/1000 = 0.14130; R-3 3700 × 0.0123 = 0.04551 charged:
 *                  smm_services_expense −0.09579 exact; in cents, cumulative 1.80 (R-1 0.90 + R-2 0.90)
 *                  → 1.70421 rounds to 1.70: Cr 0.10; panel_prepaid Dr 0.10.
 *                  The computed refund is information, not an action item.
 *   ads-advertiser spend unchanged at 9.25: nothing booked.
 */
const PAYOUT_NIGHT = [
  'sync as of 2026-03-31',
  '  ads-publisher: booked 2 events in 1 entry',
  '    Cr ad_revenue                          30.00 USD',
  '    Cr payelancer_receivable               30.00 USD',
  '    Dr payout_clearing_paypal              60.00 USD',
  '    payout 60.00 USD by paypal, dated 2026-03-31',
  '  smm-panel: booked 2 events in 1 entry, 2 orders polled',
  '    Dr panel_prepaid                        0.10 USD (exact 0.09579)',
  '    Cr smm_services_expense                 0.10 USD (exact 0.09579)',
  '    1 item for the record (`ledgerline reconcile` lists it)',
  '  ads-advertiser: nothing booked',
];

const PAYOUT_NIGHT_SOURCES = [
  {
    sourceId: 'ads-publisher',
    outcome: 'booked',
    booked: [
      { account: 'ad_revenue', currency: 'USD', net: '-30.00', netCents: '-30.00' },
      { account: 'payelancer_receivable', currency: 'USD', net: '-30.00', netCents: '-30.00' },
      { account: 'payout_clearing_paypal', currency: 'USD', net: '60.00', netCents: '60.00' },
    ],
    payouts: [{ date: '2026-03-31', method: 'paypal', currency: 'USD', amount: '60.00' }],
    actionItems: [],
    informationItems: 0,
  },
  {
    sourceId: 'smm-panel',
    outcome: 'booked',
    booked: [
      { account: 'panel_prepaid', currency: 'USD', net: '0.09579', netCents: '0.10' },
      { account: 'smm_services_expense', currency: 'USD', net: '-0.09579', netCents: '-0.10' },
    ],
    payouts: [],
    actionItems: [],
    informationItems: 1,
  },
  { sourceId: 'ads-advertiser', outcome: 'booked', booked: [], payouts: [], actionItems: [], informationItems: 0 },
];

interface ReceivedAlert {
  text: string;
  kind: string;
  asOf?: string;
  items: { subject: string; kind: string; message: string; nextStep: string }[];
}

/** The money fields of a --json source, without the counts. */
function money(source: Record<string, unknown>) {
  const { sourceId, outcome, booked, payouts, actionItems, informationItems } = source;
  return { sourceId, outcome, booked, payouts, actionItems, informationItems };
}

describe(
  'the nightly output in money (sync, status, --json) and alerts from a plain sync',
  { timeout: 120_000 },
  () => {
    let world: SyncedWorld;
    let receiver: LocalServer;
    let jsonCopy: string;
    let text: CliResult;
    let json: CliResult;
    let env: NodeJS.ProcessEnv;
    const alerts = () => receiver.received.map((request) => JSON.parse(request.body) as ReceivedAlert);

    beforeAll(async () => {
      world = await copiedSyncedWorld(FIVE_DAYS_ACROSS_MONTH_END, 'money', FIVE_DAYS, '2026-03-30');
      receiver = await startLocalServer((_request, response) => reply(response, 200, 'ok'));
      // An alert webhook URL carries its token: it comes from the environment, as in production.
      const configPath = join(world.workspace.dir, 'ledgerline.yaml');
      const config = parseDocument(readFileSync(configPath, 'utf8'));
      config.setIn(['alerts', 'webhookUrl'], '${ALERT_WEBHOOK_URL}');
      writeFileSync(configPath, config.toString());
      env = { ...world.workspace.env, ALERT_WEBHOOK_URL: `${receiver.url}/hook` };
      // The same ledger twice, to take the same night once as text and once as --json.
      jsonCopy = scratchDir('money-json');
      cpSync(world.workspace.dir, jsonCopy, { recursive: true });
      await setSandboxDay(world.sandbox, '2026-03-31');
      for (const dir of [world.workspace.dir, jsonCopy]) await writeOrdersFile(world.sandbox, dir, '2026-03-31');
      text = await runLedgerline(
        world.workspace.dir,
        ['sync', '--as-of', '2026-03-31', '--orders-file', 'orders.csv'],
        env,
      );
      json = await runLedgerline(
        jsonCopy,
        ['sync', '--as-of', '2026-03-31', '--orders-file', 'orders.csv', '--json'],
        env,
      );
    });
    afterAll(async () => {
      await receiver?.close();
      await world?.close();
      rmSync(jsonCopy, { recursive: true, force: true });
    });

    it('sync prints, per source, the cents booked per account, the payout, and what needs a person', () => {
      // Exit 0: the computed refund is kept for the record (reconcile lists it as information), and nothing needs a person.
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toBe(`${PAYOUT_NIGHT.join('\n')}\n`);
    });

    it('sync --json carries the same figures, exact and in cents, as decimal text', () => {
      expect(json.code, json.stderr).toBe(0);
      const report = JSON.parse(json.stdout) as { asOf: string; sources: Record<string, unknown>[] };
      expect(report.asOf).toBe('2026-03-31');
      expect(report.sources.map(money)).toEqual(PAYOUT_NIGHT_SOURCES);
    });

    it('status shows the last sync as sync printed it; --json holds what sync --json said', async () => {
      const status = await runLedgerline(world.workspace.dir, ['status'], env);
      expect(status.code, status.stderr).toBe(0);
      const shown = status.stdout.split('\n');
      const head = shown.findIndex((line) => line.startsWith('last sync: '));
      expect(shown[head]).toMatch(/^last sync: sync as of 2026-03-31, started \d{4}-\d{2}-\d{2} \d{2}:\d{2} .+: ok$/);
      expect(shown.slice(head + 1, head + PAYOUT_NIGHT.length)).toEqual(PAYOUT_NIGHT.slice(1));

      const statusJson = await runLedgerline(jsonCopy, ['status', '--json'], env);
      const last = (
        JSON.parse(statusJson.stdout) as {
          lastSync: { command: string; asOf: string; outcome: string; error: null; sources: Record<string, unknown>[] };
        }
      ).lastSync;
      expect({ command: last.command, asOf: last.asOf, outcome: last.outcome, error: last.error }).toEqual({
        command: 'sync',
        asOf: '2026-03-31',
        outcome: 'ok',
        error: null,
      });
      const synced = (JSON.parse(json.stdout) as { sources: (Record<string, unknown> & { entries: string[] })[] })
        .sources;
      // The run record keeps what --json printed; status counts the entries and leaves the findings to the items.
      expect(last.sources).toEqual(
        synced.map(({ findings: _findings, ...source }) => ({ ...source, entries: source.entries.length })),
      );
    });

    it('a night with only information items sends no alert', () => {
      expect(alerts()).toEqual([]);
    });

    it('a plain sync whose panel key is refused: exit 3, a run_failed alert without the key, and status gives the reason', async () => {
      await setSandboxDay(world.sandbox, '2026-04-01');
      await writeOrdersFile(world.sandbox, world.workspace.dir, '2026-04-01');
      const wrongKey = 'a-wrong-panel-key-7d3e21';
      const failed = await runLedgerline(
        world.workspace.dir,
        ['sync', '--as-of', '2026-04-01', '--orders-file', 'orders.csv'],
        { ...env, PANEL_KEY: wrongKey },
      );
      expect(failed.code, failed.stderr).toBe(3);

      const received = alerts();
      expect(
        received.map((alert) => [alert.kind, alert.asOf, alert.items.map((item) => `${item.subject} ${item.kind}`)]),
      ).toEqual([['run_failed', '2026-04-01', ['smm-panel AuthError']]]);
      expect(received[0]!.text).toMatch(/^ledgerline: sync as of 2026-04-01 failed \(smm-panel: AuthError\)\n/);
      expect(received[0]!.items[0]!.nextStep).toBe('check the API key configured for smm-panel');
      expect(receiver.received[0]!.body).not.toContain(wrongKey);

      const status = await runLedgerline(world.workspace.dir, ['status'], env);
      const shown = status.stdout.split('\n');
      const head = shown.findIndex((line) => line.startsWith('last sync: '));
      expect(shown[head]).toMatch(
        /^last sync: sync as of 2026-04-01, started \d{4}-\d{2}-\d{2} \d{2}:\d{2} .+: failed$/,
      );
      expect(shown.slice(head + 1).find((line) => line.startsWith('  smm-panel: '))).toMatch(
        /^ {2}smm-panel: FAILED: .*check.*key/,
      );
      expect(status.stdout).not.toContain(wrongKey);
    });
  },
);
