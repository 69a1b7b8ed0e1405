import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT } from '../../sandbox/index.js';
import { finished, spawnLedgerline, type CliResult } from '../scenarios/scenario-harness.js';
import { runLedgerline, type CliRun } from '../support/cli.js';
import { PLAIN_TEXT_TOOL_ENV } from '../support/plain-text-tools.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Issue 83, a UK finance lead's rehearsal with the built CLI alone: `sandbox --region uk`, then `init --sandbox-url …
 * --region uk --vat-registered` and a few of the sandbox's March days synced. Every command's stderr is kept, to show
 * what the set-up says along the way. The sandbox is a process of its own; the commands run in process (runLedgerline).
 */
const tempDir = useTempDir('ledgerline-uk-rehearsal-');
let sandbox: ChildProcess;
let url: string;
let ended: Promise<CliResult>;
let dir: string;
const runs: { args: string[]; run: CliRun }[] = [];

async function cli(args: string[]): Promise<CliRun> {
  const run = await runLedgerline(args, { cwd: dir, env: SANDBOX_ENVIRONMENT });
  runs.push({ args, run });
  return run;
}

beforeAll(async () => {
  sandbox = spawnLedgerline(tmpdir(), ['sandbox', '--region', 'uk', '--port', '0'], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
  });
  ended = finished(sandbox, 150_000);
  url = await new Promise<string>((resolve, reject) => {
    let said = '';
    sandbox.on('exit', (code) => reject(new Error(`sandbox exited ${code}: ${said}`)));
    sandbox.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*Stop with Ctrl-C/.exec(said);
      if (found) resolve(found[1]!);
    });
  });
  dir = tempDir();
  const init = await cli(['init', '--sandbox-url', url, '--region', 'uk', '--vat-registered']);
  expect(init.code, init.stderr).toBe(0);
  for (let day = 0; day < 3; day += 1) {
    const advanced = await fetch(`${url}/__admin/day`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: 1 }),
    });
    expect(advanced.status).toBe(200);
    writeFileSync(join(dir, 'orders.csv'), await (await fetch(`${url}/__admin/orders.csv`)).text());
    const synced = await cli(['sync', '--orders-file', 'orders.csv']);
    expect([0, 1], synced.stdout + synced.stderr).toContain(synced.code);
  }
}, 120_000);

afterAll(async () => {
  sandbox?.kill('SIGINT');
  await ended;
});

/** The ledger's entries by journal id with their day, from the generic export (ISO dates, a stable contract). */
async function ledgerDays(): Promise<Set<string>> {
  const generic = await cli([
    'export',
    '--format',
    'generic',
    '--from',
    '2026-01-01',
    '--to',
    '2026-12-31',
    '--tax-of',
    'xero',
  ]);
  expect(generic.code, generic.stderr).toBe(0);
  const rows = parse(generic.stdout, { columns: true }) as { date: string }[];
  return new Set(rows.map((row) => row.date));
}

describe(
  'a UK rehearsal: sandbox --region uk, init --region uk --vat-registered, three March days',
  { timeout: 120_000 },
  () => {
    it("init writes the QuickBooks import's dates day-first; the UK QuickBooks CSV reads back day-first to the ledger's days", async () => {
      expect(readFileSync(join(dir, 'ledgerline.yaml'), 'utf8')).toMatch(/^ {4}quickbooks: DD\/MM\/YYYY /m);
      const exported = await cli(['export', '--format', 'quickbooks', '--from', '2026-01-01', '--to', '2026-12-31']);
      expect(exported.code, exported.stderr).toBe(0);
      // A strict reader: every row as wide as the header, every Journal Date DD/MM/YYYY naming a real day.
      const rows = parse(exported.stdout, { columns: true, relax_column_count: false }) as Record<string, string>[];
      expect(rows.length).toBeGreaterThan(0);
      const read = rows.map((row) => {
        const found = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(row['Journal Date'] ?? '');
        expect(found, `Journal Date ${row['Journal Date']}`).not.toBeNull();
        const [, day, month, year] = found!;
        const iso = `${year}-${month}-${day}`;
        expect(new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10), `${row['Journal Date']} is no day`).toBe(iso);
        return iso;
      });
      // Day-first gives back each of the ledger's days (month-first would read 02/03/2026, 2 March, as 3 February).
      expect(new Set(read)).toEqual(await ledgerDays());
      expect([...new Set(read)].some((iso) => Number(iso.slice(8, 10)) <= 12)).toBe(true);
    });

    it("init writes the recommended set-up: the chart's tax: in the ledger's codes, each destination's taxCodes:, no reversal's own rule", () => {
      const chart = readFileSync(join(dir, 'mappings', 'default.yaml'), 'utf8');
      const rules = chart.slice(chart.lastIndexOf('\ntax:\n') + 1);
      expect(rules).toBe(
        [
          'tax:',
          '  publisher_earnings: [{ code: ZERO_RATED, rate: 0, name: Zero Rated Income }]',
          '  order_charge: [{ code: REVERSE_CHARGE_20, rate: 20, reverseCharge: true, name: Reverse Charge Expenses (20%) }]',
          '  advertiser_spend: [{ code: REVERSE_CHARGE_20, rate: 20, reverseCharge: true, name: Reverse Charge Expenses (20%) }]',
          '  bank_fees: [{ code: EXEMPT, rate: 0, name: Exempt Expenses }]',
          '',
        ].join('\n'),
      );
      const xero = readFileSync(join(dir, 'mappings', 'xero.yaml'), 'utf8');
      expect(xero).toContain(
        '\ntaxCodes:\n  ZERO_RATED: ZERORATEDOUTPUT\n  REVERSE_CHARGE_20: REVERSECHARGES\n  EXEMPT: EXEMPTINPUT\n',
      );
      expect(xero).not.toMatch(/^tax:/m);
      const quickbooks = readFileSync(join(dir, 'mappings', 'quickbooks.yaml'), 'utf8');
      expect(quickbooks).toContain(
        '\ntaxCodes:\n  ZERO_RATED: "0.0% Z"\n  REVERSE_CHARGE_20: "20.0% RC SG"\n  EXEMPT: Exempt\nuntaxedCode: "No VAT"\n',
      );
      expect(quickbooks).not.toMatch(/^tax:/m);
    });

    it('doctor is green at both fakes and the journals go out in their own codes', async () => {
      for (const destination of ['xero', 'quickbooks']) {
        const doctor = await cli(['doctor', '--to', destination]);
        expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
        const posted = await cli(['post', destination]);
        expect(posted.code, posted.stdout + posted.stderr).toBe(0);
      }
      const tied = await cli(['reconcile', '--with', 'quickbooks', '--json']);
      const rows = (JSON.parse(tied.stdout) as { tax: { rows: { code: string }[] } }).tax.rows;
      expect(rows.map((row) => row.code)).toContain('0.0% Z');
    });

    it("export --format hledger and beancount need no --tax-of: the ledger's codes, and both checkers pass", async () => {
      const hledger = await cli(['export', '--format', 'hledger', '--out', 'books.journal']);
      expect(hledger.code, hledger.stderr).toBe(0);
      expect(readFileSync(join(dir, 'books.journal'), 'utf8')).toContain('; tax:ZERO_RATED');
      execFileSync('hledger', ['-f', join(dir, 'books.journal'), 'check'], { stdio: 'pipe', env: PLAIN_TEXT_TOOL_ENV });
      const beancount = await cli(['export', '--format', 'beancount', '--out', 'books.beancount']);
      expect(beancount.code, beancount.stderr).toBe(0);
      expect(readFileSync(join(dir, 'books.beancount'), 'utf8')).toContain('tax: "ZERO_RATED"');
      execFileSync('bean-check', [join(dir, 'books.beancount')], { stdio: 'pipe', env: PLAIN_TEXT_TOOL_ENV });
    });

    it('no command of the rehearsal says to move a tax: section into the chart', () => {
      expect(runs.length).toBeGreaterThan(10);
      for (const { args, run } of runs) expect(run.stderr, args.join(' ')).not.toContain('into the chart');
    });
  },
);
