import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { LEDGER_ENGINES, rawTransaction, readBooks, useLedgerEngines } from '../support/ledger-engines.js';
import { FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import {
  booksAt,
  copyWorkspace,
  createWorkspace,
  setSandboxDay,
  startScenarioSandbox,
  type Workspace,
} from './scenario-harness.js';

const engines = useLedgerEngines();

/** The chart's tax (issue 70): ad earnings at 20 %, the advertiser's spend reverse-charged, the panel's orders at 20 %. */
const CHART_TAX = [
  'tax:',
  '  publisher_earnings: [{ code: OUTPUT2, rate: 20 }]',
  '  advertiser_spend: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true }]',
  '  order_charge: [{ code: INPUT2, rate: 20 }]',
  '  order_refund: [{ code: INPUT2, rate: 20 }]',
  '',
].join('\n');

/**
 * Q1's boxes by hand from the world's script (five-days-across-month-end.ts), 03-29 and 03-30 synced: earnings of
 * 30.00 at 20 % → 5.00 of VAT, 25.00 net; the advertiser's 4.25 reverse-charged → 0.85 in each of boxes 1 and 4,
 * 4.25 in each of boxes 6 and 7; the panel's 0.90 order at 20 % → 0.15 of VAT, 0.75 net. Box 1 5.00 + 0.85 = 5.85,
 * box 4 0.85 + 0.15 = 1.00, box 5 4.85, box 6 25.00 + 4.25 = 29.25, box 7 4.25 + 0.75 = 5.00.
 */
const Q1_BOXES = {
  '1': '5.85',
  '2': '0.00',
  '3': '5.85',
  '4': '1.00',
  '5': '4.85',
  '6': '29.25',
  '7': '5.00',
  '8': '0.00',
  '9': '0.00',
};

interface VatJson {
  period: string;
  boxes: Record<string, string>;
  filed?: {
    filedAt: string;
    filedBy: string;
    returnSha256: string;
    same: boolean;
    differences: { box: string; filed: string; books: string }[];
  };
}

/** The append-only triggers of filed_returns out of the way, as someone with the database's own tools would. */
const UNGUARDED = (ledger: string) =>
  ledger.startsWith('postgres')
    ? ['ALTER TABLE filed_returns DISABLE TRIGGER USER']
    : ['DROP TRIGGER filed_returns_no_update', 'DROP TRIGGER filed_returns_no_delete'];

/** A filing tampered with behind the database's back, and what `verify` must name of it (exit 1). */
const TAMPERINGS: [string, string, string][] = [
  [
    'deleted (Q1 unlocked)',
    "DELETE FROM filed_returns WHERE period = '2026-Q1'",
    'filed return ["2026-Q1"] (filed_returns) was deleted',
  ],
  [
    'edited (box 1 lowered)',
    `UPDATE filed_returns SET boxes = replace(boxes, '"1":"5.85"', '"1":"1.85"') WHERE period = '2026-Q1'`,
    'filed return ["2026-Q1"] (filed_returns) was changed after it was written',
  ],
  [
    'added (Q2 locked without vat file)',
    "INSERT INTO filed_returns (period, period_start, period_end, form, currency, boxes, return_sha256, filed_at, filed_by) VALUES ('2026-Q2', '2026-04-01', '2026-06-30', 'VAT', 'USD', '{}', 'x', '2026-07-01T09:00:00.000Z', 'mallory')",
    'filed return ["2026-Q2"] (filed_returns) was not written by ledgerline',
  ],
];

/** The error lines of a run's stderr (the lock-date warnings before them are JSON log lines). */
const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('error:'));

/**
 * Issue 70: a quarter's return marked filed (`vat file --period 2026-Q1`) locks it as a close locks a month, on
 * both engines, through the built CLI in a sandbox month: the sandbox's 03-29 and 03-30 synced with the chart's
 * tax, then its clock on 03-31 (the books' today 04-01, so the quarter has ended) and Q1 filed. An adjusting entry,
 * the night of 03-31 run late and a backfill correcting March are each refused in one line naming 2026-Q1, when it
 * was filed and the open day, and book nothing.
 */
describe.each(LEDGER_ENGINES)('a filed VAT quarter in a sandbox month (%s)', { timeout: 120_000 }, (engine) => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let filedAt: string;
  const user = userInfo().username;
  const refusal = () =>
    `falls in 2026-Q1, whose tax return was filed ${filedAt} by ${user}; nothing was booked: ` +
    'book it in the open period: --date 2026-04-01';

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(script);
    workspace = await createWorkspace(sandbox, `vat-filed-${engine}`, { ledger: () => engines.fresh(engine) });
    appendFileSync(join(workspace.dir, 'mappings', 'default.yaml'), CHART_TAX);
    const config = join(workspace.dir, 'ledgerline.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^( {4}region: ).*$/m, '$1UK'));
    for (const day of ['2026-03-29', '2026-03-30']) {
      await setSandboxDay(sandbox, day);
      const night = await workspace.syncDay(day);
      expect([0, 1], night.stderr).toContain(night.code);
    }
    await setSandboxDay(sandbox, '2026-03-31');
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('files the quarter: its boxes, when, by whom and the SHA-256 of the return as printed; vat then says so', async () => {
    const printed = await workspace.run(['vat', '--period', '2026-Q1']);
    expect(printed.code, printed.stderr).toBe(0);
    const filing = await workspace.run(['vat', 'file', '--period', '2026-Q1', '--json']);
    expect(filing.code, filing.stderr).toBe(0);
    const filed = JSON.parse(filing.stdout) as VatJson;
    expect(filed.boxes).toEqual(Q1_BOXES);
    expect(filed.filed).toMatchObject({ filedBy: user, same: true, differences: [] });
    expect(filed.filed!.returnSha256).toBe(createHash('sha256').update(printed.stdout).digest('hex'));
    filedAt = filed.filed!.filedAt;
    expect(await readBooks(workspace.ledger, (books) => books.rows('filed_returns', 'period'))).toEqual([
      expect.objectContaining({
        period: '2026-Q1',
        period_start: '2026-01-01',
        period_end: '2026-03-31',
        form: 'VAT',
        boxes: JSON.stringify(Q1_BOXES),
        return_sha256: filed.filed!.returnSha256,
        filed_at: filedAt,
        filed_by: user,
      }),
    ]);

    const again = await workspace.run(['vat', '--period', '2026-Q1']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(
      `${printed.stdout}filed ${filedAt} by ${user} (return sha256:${filed.filed!.returnSha256}); the books still give these boxes\n`,
    );
  });

  it('refuses filing it again, a month inside it, and a quarter not ended (exit 2, one line each); vat of the month names the quarter', async () => {
    const cases: [string, string][] = [
      ['2026-Q1', `error: 2026-Q1 was filed already ${filedAt} by ${user} (return sha256:`],
      ['2026-03', `error: 2026-03 overlaps 2026-Q1, filed ${filedAt} by ${user}`],
      ['2026-Q2', 'error: 2026-Q2 has not ended yet (its last day is 2026-06-30)'],
    ];
    for (const [period, refused] of cases) {
      const run = await workspace.run(['vat', 'file', '--period', period]);
      expect(run.code, period).toBe(2);
      expect(errorLines(run.stderr)).toEqual([expect.stringContaining(refused)]);
    }
    expect(await readBooks(workspace.ledger, (books) => books.count('filed_returns'))).toBe(1);
    const march = await workspace.run(['vat', '--period', '2026-03']);
    expect(march.code, march.stderr).toBe(0);
    expect(march.stdout.split('\n').at(-2)).toBe(`part of 2026-Q1, whose return was filed ${filedAt} by ${user}`);
  });

  it('refuses an adjusting entry dated in it, naming the quarter, when it was filed and the open day, which takes it', async () => {
    const before = await booksAt(workspace.ledger);
    const lines = ['--debit', 'smm_services_expense=1.00', '--credit', 'suspense=1.00', '--reason', 'a late invoice'];
    const refused = await workspace.run(['adjust', '--date', '2026-03-20', ...lines]);
    expect(refused.code).toBe(2);
    expect(errorLines(refused.stderr)).toEqual([
      `error: entry je:adjustment:2026-03-20:1 dated 2026-03-20 ${refusal()} (ledgerline adjust --date 2026-04-01 --tax CODE …), where the next return takes it, its revenue and expense lines coded by --tax, a code of the chart's tax:`,
    ]);
    expect(await booksAt(workspace.ledger)).toEqual(before);
    const booked = await workspace.run(['adjust', '--date', '2026-04-01', ...lines]);
    expect(booked.code, booked.stderr).toBe(0);
  });

  it('refuses the night of 03-31 run late, booking nothing; the next night books what it held (nothing lost)', async () => {
    const before = await booksAt(workspace.ledger);
    const late = await workspace.syncDay('2026-03-31');
    expect(late.code).toBe(2);
    expect(errorLines(late.stderr)).toEqual([expect.stringContaining(`dated 2026-03-31 ${refusal()}`)]);
    expect(await booksAt(workspace.ledger)).toEqual(before);

    await setSandboxDay(sandbox, '2026-04-01');
    const next = await workspace.syncDay('2026-04-01');
    expect([0, 1], next.stderr).toContain(next.code);
    expect(await readBooks(workspace.ledger, (books) => books.balanceMicros('panel_prepaid'))).toBe(
      sandbox.stateOn('2026-04-01').panel.balance,
    );
    expect(await readBooks(workspace.ledger, (books) => books.unbalancedEntries())).toEqual([]);
  });

  it('a tax rule changed since: vat still gives the filed boxes (issue 82: lines keep their treatment; exit 0), and the backfill re-booking March is refused, its dry run too', async () => {
    const chart = join(workspace.dir, 'mappings', 'default.yaml');
    writeFileSync(chart, readFileSync(chart, 'utf8').replace(/^ {2}order_(charge|refund): .*\n/gm, ''));
    // The panel's 0.90 order was booked at INPUT2: its line keeps that, whatever the chart says now (box 7 5.00, not 4.25).
    const same = await workspace.run(['vat', '--period', '2026-Q1', '--json']);
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout) as VatJson).toMatchObject({
      boxes: Q1_BOXES,
      filed: { same: true, differences: [] },
    });

    const before = await booksAt(workspace.ledger);
    // The dry run says what the run would: refused, not "would book" a correction into the filed quarter.
    const dryRun = await workspace.run(['sync', '--from', '2026-03-29', '--to', '2026-04-01', '--dry-run']);
    expect(dryRun.code).toBe(2);
    expect(errorLines(dryRun.stderr)).toEqual([
      expect.stringMatching(/^error: entry je:smm-panel:2026-03-\d\d:replay:1 /),
    ]);
    expect(dryRun.stderr).toContain(refusal());
    expect(dryRun.stdout).not.toContain('would book');
    const backfill = await workspace.run(['sync', '--from', '2026-03-29', '--to', '2026-04-01']);
    expect(backfill.code).toBe(2);
    expect(errorLines(backfill.stderr)).toEqual([
      expect.stringMatching(/^error: entry je:smm-panel:2026-03-\d\d:replay:1 /),
    ]);
    expect(backfill.stderr).toContain(refusal());
    expect(await booksAt(workspace.ledger)).toEqual(before);
  });

  it('verify proves the filing: the ledger verifies as filed (exit 0); a filing deleted, edited or added behind the database is named by its period (exit 1)', async () => {
    const clean = await workspace.run(['verify']);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    for (const [how, statement, named] of TAMPERINGS) {
      const copy = copyWorkspace(sandbox, workspace, `vat-tampered-${engine}`, await engines.copy(workspace.ledger));
      try {
        await rawTransaction(copy.ledger, [...UNGUARDED(copy.ledger), statement]);
        const run = await copy.run(['verify']);
        expect(run.code, how).toBe(1);
        expect(run.stdout, how).toContain(named);
      } finally {
        copy.remove();
      }
    }
  });
});
