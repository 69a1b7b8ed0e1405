import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT } from '../../sandbox/index.js';
import { finished, spawnLedgerline, type CliResult } from '../scenarios/scenario-harness.js';
import { runLedgerline, type CliRun } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Issue 70, "rehearsal needs a developer": a finance lead rehearses a UK VAT set-up with the built CLI alone.
 * `sandbox --region uk` plays a UK organisation in both fakes (GB, GBP, the published UK rates); `init --sandbox-url
 * … --region uk --vat-registered` writes a GBP ledger with the UK tax sections live; doctor is all green at both; the
 * posted journals carry the codes, which `reconcile --with` reads back and ties out. The return `vat` prints from those
 * books is one to file: the panel's services, reverse-charged, in boxes 1 and 4 (their VAT, 20 %) and 6 and 7 (their
 * value), beside the zero-rated ad income in box 6. The sandbox is a process of its own, as the lead starts it; the
 * commands run in process (runLedgerline): their outputs are the subject, not their process.
 */
const tempDir = useTempDir('ledgerline-sandbox-region-');
let sandbox: ChildProcess;
let url: string;
let banner: string;
let ended: Promise<CliResult>;

beforeAll(async () => {
  sandbox = spawnLedgerline(tmpdir(), ['sandbox', '--region', 'uk', '--port', '0'], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
  });
  ended = finished(sandbox, 120_000);
  url = await new Promise<string>((resolve, reject) => {
    let said = '';
    sandbox.on('exit', (code) => reject(new Error(`sandbox exited ${code}: ${said}`)));
    sandbox.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*Stop with Ctrl-C/.exec(said);
      if (found) {
        banner = said;
        resolve(found[1]!);
      }
    });
  });
}, 30_000);

afterAll(async () => {
  sandbox?.kill('SIGINT');
  await ended;
});

describe('sandbox --region uk, then init --sandbox-url … --region uk --vat-registered', { timeout: 120_000 }, () => {
  it('says what it plays, and the configuration it takes: GBP, region UK, the UK codes live; doctor all green; a post carries the codes', async () => {
    expect(banner).toContain('  region             uk: both fakes in GB, GBP, the published default tax rates');
    const dir = tempDir();
    const cli = (args: string[]) => runLedgerline(args, { cwd: dir, env: SANDBOX_ENVIRONMENT });
    const init = await cli(['init', '--sandbox-url', url, '--region', 'uk', '--vat-registered']);
    expect(init.code, init.stderr).toBe(0);
    const config = readFileSync(join(dir, 'ledgerline.yaml'), 'utf8');
    expect(config).toMatch(/^currency: GBP$/m);
    expect(config).toMatch(/^ {4}region: UK /m);
    // Issue 83: the rules in the chart, in the ledger's codes; each destination's own codes for them.
    expect(readFileSync(join(dir, 'mappings', 'default.yaml'), 'utf8')).toContain(
      '\ntax:\n  publisher_earnings: [{ code: ZERO_RATED, rate: 0, name: Zero Rated Income }]\n',
    );
    expect(readFileSync(join(dir, 'mappings', 'xero.yaml'), 'utf8')).toContain(
      '\ntaxCodes:\n  ZERO_RATED: ZERORATEDOUTPUT\n',
    );
    expect(readFileSync(join(dir, 'mappings', 'quickbooks.yaml'), 'utf8')).toMatch(/^untaxedCode: "No VAT"/m);

    for (let day = 0; day < 2; day += 1) {
      const advanced = await fetch(`${url}/__admin/day`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advance: 1 }),
      });
      expect(advanced.status).toBe(200);
      // The day's orders export, as the README's quick start fetches it: the panel's charges are the services bought.
      writeFileSync(join(dir, 'orders.csv'), await (await fetch(`${url}/__admin/orders.csv`)).text());
      const synced = await cli(['sync', '--orders-file', 'orders.csv']);
      // 1: a finding to review (an order canceled with a charge, a clawback).
      expect([0, 1], synced.stdout + synced.stderr).toContain(synced.code);
    }
    for (const destination of ['xero', 'quickbooks']) {
      const doctor = await cli(['doctor', '--to', destination]);
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
      expect(doctor.stdout).toMatch(/all \d+ checks passed\n$/);
      expect(doctor.stdout).toContain('the reversal publisher_clawback of publisher_earnings');
    }
    const plan = JSON.parse((await cli(['post', 'xero', '--dry-run', '--json'])).stdout) as {
      entries: { id: string; taxLines?: { account: string; code: string }[] }[];
    };
    const earnings = plan.entries.filter((entry) => entry.id.startsWith('je:ads-publisher:'));
    expect(earnings.length).toBeGreaterThan(0);
    for (const entry of earnings)
      expect(entry.taxLines).toContainEqual(
        expect.objectContaining({ account: 'ad_revenue', code: 'ZERORATEDOUTPUT' }),
      );

    for (const [destination, code] of [
      ['xero', 'ZERORATEDOUTPUT'],
      ['quickbooks', '0.0% Z'],
    ] as const) {
      const posted = await cli(['post', destination]);
      expect(posted.code, posted.stdout + posted.stderr).toBe(0);
      const tied = await cli(['reconcile', '--with', destination, '--json']);
      const rows = (JSON.parse(tied.stdout) as { tax: { rows: { code: string; lines: number }[] } }).tax.rows;
      expect(rows.find((row) => row.code === code)?.lines, tied.stdout).toBe(earnings.length);
      expect(tied.code, tied.stdout).toBe(0);
    }
    await theReturnHoldsTheReverseCharge(cli);
  });
});

/**
 * The March return from the rehearsal's books: box 7 is the reverse-charged services' value (the sandbox's only
 * purchases), box 6 that value and the zero-rated ad income, boxes 1 and 4 their VAT, the ledger's two legs, which
 * cancel in box 5. Example: services of 33.45 and ad income of 26.95 → boxes 1 and 4 6.70, 6 60.40, 7 33.45.
 */
async function theReturnHoldsTheReverseCharge(cli: (args: string[]) => Promise<CliRun>): Promise<void> {
  const cents = (text: string) => Math.round(Number(text) * 100);
  const vat = await cli(['vat', '--period', '2026-03', '--json']);
  expect(vat.code, vat.stdout + vat.stderr).toBe(0);
  const boxes = (JSON.parse(vat.stdout) as { boxes: Record<string, string> }).boxes;
  const balances = await cli(['balances', '--as-of', '2026-03-31', '--json']);
  const rows = (JSON.parse(balances.stdout) as { rows: { account: string; net: string }[] }).rows;
  const net = (account: string) => cents(rows.find((row) => row.account === account)?.net ?? '0');
  expect(cents(boxes['7']!)).toBe(net('smm_services_expense') + net('advertising_expense'));
  expect(cents(boxes['7']!)).toBeGreaterThan(0);
  expect(cents(boxes['6']!)).toBe(cents(boxes['7']!) - net('ad_revenue'));
  expect(cents(boxes['1']!)).toBe(net('vat_input'));
  expect([boxes['4'], boxes['5']]).toEqual([boxes['1'], '0.00']);
  expect(Math.abs(cents(boxes['1']!) * 5 - cents(boxes['7']!))).toBeLessThan(50);
}
