import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { packageMappingsDir } from '../../../src/config/index.js';
import { COUNTER_JOURNAL_ACCOUNTS } from '../../support/plug-ins/counter-source.js';
import { useCsvJournalDestination } from '../../support/plug-ins/use-csv-journal.js';
import type { CounterApiFake } from '../../support/plug-ins/counter-api-fake.js';
import { startTipsWorkspace, type TipsWorkspace } from '../../support/plug-ins/tips-workspace.js';
import { useCounterSource } from '../../support/plug-ins/use-counter-source.js';
import { useTempDir } from '../../support/temp-dir.js';

/**
 * A source kind that lives entirely in test/support/plug-ins (a lifetime earnings counter, `kind: counter`),
 * registered there in one line, taken through the whole pipeline by the CLI with no file of src/ naming it:
 * configuration, sync (live and --dry-run), a replay, doctor, balances, reconcile, the report and the export.
 * Ground truth by hand: the counter reads 100.00, 112.50 and 110.00 at the closes of October 1st to 3rd,
 * so the ledger books 100.00 and 12.50 of earnings and a 2.50 clawback: 110.00 owed at the end. A counter read
 * below zero raises the kind's own finding, counter_below_zero, which reconcile says in the kind's words.
 */
const KEY = 'counter-key-7f3a9c';
useCounterSource();
useCsvJournalDestination();
const tempDir = useTempDir();
let counter: CounterApiFake;
let dir: string;
let ledgerline: TipsWorkspace['ledgerline'];

beforeEach(async () => {
  dir = tempDir();
  ({ fake: counter, ledgerline } = await startTipsWorkspace(dir, 'counter', KEY));
});
afterEach(() => counter.close());

/**
 * A copy of the shipped chart as the configuration's chart, with a csv-journal.yaml beside it that maps the
 * built-in accounts only, as a user's file written before the counter was installed: the counter's accounts
 * take the mapping its vocabulary declares.
 */
function chartWithCsvJournal(): void {
  mkdirSync(join(dir, 'mappings'));
  const chart = readFileSync(join(packageMappingsDir(), 'default.yaml'), 'utf8');
  writeFileSync(join(dir, 'mappings', 'default.yaml'), chart);
  const builtIn = Object.keys((parse(chart) as { accounts: Record<string, unknown> }).accounts);
  writeFileSync(
    join(dir, 'mappings', 'csv-journal.yaml'),
    stringify({ accounts: Object.fromEntries(builtIn.map((key) => [key, { account: key }])) }),
  );
  appendFileSync(join(dir, 'ledgerline.yaml'), 'mappings: ./mappings/default.yaml\n');
}

async function syncNights(totals: Record<string, string>): Promise<void> {
  for (const [day, total] of Object.entries(totals)) {
    counter.setTotal(total, day);
    const run = await ledgerline('sync', '--as-of', day);
    expect(run.code, run.stderr).toBe(0);
  }
}

describe('a source kind registered from test/support in one line', () => {
  it('is synced night by night into its own accounts, and read back by balances, reconcile, the report and the exports (csv-journal naming its accounts by the default its vocabulary declares)', async () => {
    await syncNights({ '2026-10-01': '100.00', '2026-10-02': '112.50', '2026-10-03': '110.00' });

    const balances = JSON.parse((await ledgerline('balances', '--json')).stdout) as {
      rows: { account: string; debit: string; credit: string; net: string }[];
    };
    expect(balances.rows.map((row) => [row.account, row.debit, row.credit, row.net])).toEqual([
      ['counter_receivable', '112.50', '2.50', '110.00'],
      ['counter_revenue', '2.50', '112.50', '-110.00'],
    ]);

    const exported = await ledgerline('export', '--format', 'generic');
    expect(exported.code).toBe(0);
    const tipsLines = exported.stdout.split('\n').filter((line) => line.includes('tips'));
    expect(tipsLines).toHaveLength(6);
    expect(tipsLines.join('\n')).toContain('2026-10-03');

    const reconcile = await ledgerline('reconcile', '--json', '--as-of', '2026-10-03');
    expect(reconcile.code, reconcile.stdout).toBe(0);

    const report = await ledgerline('report', '--out', join(dir, 'report.html'));
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('110.00');
    expect(`${exported.stdout}${report.stdout}${report.stderr}`).not.toContain(KEY);

    chartWithCsvJournal();
    const journal = await ledgerline('export', '--format', 'csv-journal', '--from', '2026-10-01', '--to', '2026-10-31');
    expect(journal.code, journal.stderr).toBe(0);
    const rows = journal.stdout
      .split('\n')
      .slice(1, -1)
      .map((row) => row.split(',').slice(0, 5).join(','));
    const { counter_receivable: receivable, counter_revenue: revenue } = COUNTER_JOURNAL_ACCOUNTS;
    expect(rows).toEqual([
      `J1,2026-10-01,${receivable},100.00,`,
      `J1,2026-10-01,${revenue},,100.00`,
      `J2,2026-10-02,${receivable},12.50,`,
      `J2,2026-10-02,${revenue},,12.50`,
      `J3,2026-10-03,${revenue},2.50,`,
      `J3,2026-10-03,${receivable},,2.50`,
    ]);
  });

  it('re-reads its stored replies in a backfill: nothing to correct when nothing changed, and no request to the counter', async () => {
    await syncNights({ '2026-10-01': '100.00', '2026-10-02': '112.50' });
    const before = counter.requests();
    const replay = await ledgerline('sync', '--from', '2026-10-01', '--to', '2026-10-02', '--json');
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({
      sources: [{ sourceId: 'tips', outcome: 'booked', entries: [] }],
    });
    expect(counter.requests()).toBe(before);
  });

  it('rehearses a close with --dry-run without booking it, and quarantines a reply that does not read', async () => {
    counter.setTotal('40.00');
    const dry = await ledgerline('sync', '--as-of', '2026-10-01', '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse((await ledgerline('balances', '--json')).stdout).rows).toEqual([]);

    counter.answerOnceWith('{"total": "forty", "currency": "USD"}');
    const bad = await ledgerline('sync', '--as-of', '2026-10-01');
    // As for any source that could not be read: the others would go on, and the run says so with exit 3.
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('tips');
    const status = JSON.parse((await ledgerline('status', '--json')).stdout) as { quarantined: number };
    expect(status.quarantined).toBe(1);
  });

  it("a destination's mapping must cover only what the configured sources book: the counter's accounts and rounding, and the panel's once a panel source is configured", async () => {
    chartWithCsvJournal();
    const mapping = join(dir, 'mappings', 'csv-journal.yaml');
    // A journal whose own chart has no panel or ad network account: csv-journal.yaml maps the rounding account alone.
    writeFileSync(mapping, stringify({ accounts: { rounding: { account: '9990 Rounding' } } }));
    // An export only reads, and reads refuse a ledger path with nothing there (issue 72): the ledger exists first.
    expect((await ledgerline('migrate')).code).toBe(0);
    const counterOnly = await ledgerline(
      'export',
      '--format',
      'csv-journal',
      '--from',
      '2026-10-01',
      '--to',
      '2026-10-31',
    );
    expect(counterOnly.code, counterOnly.stderr).toBe(0);

    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      readFileSync(join(dir, 'ledgerline.yaml'), 'utf8').replace(
        'sources:\n',
        'sources:\n  - { id: smm-panel, kind: panel, url: "http://127.0.0.1:9/api/v2", apiKey: "${TIPS_KEY}" }\n',
      ),
    );
    const withPanel = await ledgerline(
      'export',
      '--format',
      'csv-journal',
      '--from',
      '2026-10-01',
      '--to',
      '2026-10-31',
    );
    expect(withPanel.code).toBe(2);
    expect(withPanel.stderr).toContain(
      `${mapping} at accounts.panel_prepaid: has no CSV journal mapping, and the chart books to it`,
    );
    expect(withPanel.stderr).not.toContain('accounts.ad_revenue');
  });

  it("raises a finding of its own kind (counter_below_zero) that reconcile lists with the kind's title and next step", async () => {
    counter.setTotal('10.00', '2026-10-01');
    expect((await ledgerline('sync', '--as-of', '2026-10-01')).code).toBe(0);
    counter.setTotal('-2.00', '2026-10-02');
    // A finding that needs a person: the night says so with exit 1, as for a built-in kind's.
    const below = await ledgerline('sync', '--as-of', '2026-10-02');
    expect(below.code, below.stderr).toBe(1);

    const json = await ledgerline('reconcile', '--json', '--as-of', '2026-10-02');
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({
        id: 'finding:tips:counter_below_zero:counter 2026-10-02:2026-10-02',
        kind: 'counter_below_zero',
        class: 'action',
        source: 'tips',
        amount: '2.00',
        currency: 'USD',
        message: 'the counter reads -2.00 USD',
      }),
    ]);
    const text = await ledgerline('reconcile', '--as-of', '2026-10-02');
    expect(text.stdout).toContain(
      "      The counter reads below zero. Next: Ask the counter's vendor how lifetime earnings went negative, " +
        'then acknowledge it with a note (ledgerline reconcile ack ID --note "…").',
    );
    expect((await ledgerline('report', '--out', join(dir, 'report.html'), '--to', '2026-10-02')).code).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<strong>The counter reads below zero</strong>');
  });

  it('lists a finding it declares as information (counter_fell) for the record: the night exits 0 and reconcile stays clean', async () => {
    counter.setTotal('10.00', '2026-10-01');
    expect((await ledgerline('sync', '--as-of', '2026-10-01')).code).toBe(0);
    counter.setTotal('7.50', '2026-10-02');
    const fell = await ledgerline('sync', '--as-of', '2026-10-02', '--json');
    expect(fell.code, fell.stderr).toBe(0);
    expect(JSON.parse(fell.stdout)).toMatchObject({
      sources: [{ sourceId: 'tips', actionItems: [], informationItems: 1 }],
    });

    const json = await ledgerline('reconcile', '--json', '--as-of', '2026-10-02');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      clean: true,
      open: 0,
      items: [
        {
          id: 'finding:tips:counter_fell:counter 2026-10-02:2026-10-02',
          kind: 'counter_fell',
          class: 'information',
          amount: '2.50',
          message: 'the counter fell to 7.50 USD',
        },
      ],
    });
    const text = await ledgerline('reconcile', '--as-of', '2026-10-02');
    expect(text.stdout).toContain(
      'reconcile as of 2026-10-02: clean, no action item waiting (1 item(s) for the record)',
    );
    expect(text.stdout).toContain('info  2026-10-02  tips');
    expect(text.stdout).toContain('      The counter fell: earnings clawed back\n');
  });

  it('is a kind the configuration knows, probed by doctor, and refused by name when misspelt', async () => {
    const doctor = await ledgerline('doctor', '--json');
    expect(doctor.stdout).toContain('the counter answered USD 0');
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      readFileSync(join(dir, 'ledgerline.yaml'), 'utf8').replace('kind: counter', 'kind: countr'),
    );
    const refused = await ledgerline('sync', '--as-of', '2026-10-01');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('counter');
  });
});
