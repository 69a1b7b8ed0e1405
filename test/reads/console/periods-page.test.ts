import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { SECRETS, bookEntries, runCli, writeConfig } from '../../cli/post-cli-harness.js';
import { serveInProcess, type ServingConsole } from '../../support/serve-in-process.js';
import { shippedChartsForFakes, spendEntry } from '../../pipeline/post-fixtures.js';

// One world for the file, read by each test in order: January posted and closed, February over with an entry unposted, March under way.
const dir = mkdtempSync(join(tmpdir(), 'ledgerline-console-periods-'));
let xero: RunningXeroFake;
let serve: ServingConsole;
let certificateSha256: string;
let config: string;

beforeAll(async () => {
  xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: shippedChartsForFakes().xero,
  });
  config = writeConfig(dir, { xero }, 'schedule: { cron: "30 2 * * *", timezone: UTC, post: [] }\n');
  const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
  await bookEntries(dir, [spendEntry(1, '2024-01-10'), spendEntry(2, '2024-01-31')]);
  expect((await cli(['post', 'xero'])).code).toBe(0);
  xero.fake.setLockDates({ periodLockDate: '2024-01-31' });
  const closed = await cli(['close', '--period', '2024-01', '--json']);
  expect(closed.code, closed.stderr + closed.stdout).toBe(0);
  certificateSha256 = JSON.parse(closed.stdout).certificateSha256;
  await bookEntries(dir, [spendEntry(3, '2024-02-15'), spendEntry(4, '2024-03-05')]);
  // The console's today is 2024-03-10: March is under way.
  serve = await serveInProcess(['--port', '0', '--config', config], {
    cwd: dir,
    env: SECRETS,
    now: () => new Date('2024-03-10T09:00:00Z'),
  });
});
afterAll(async () => {
  await serve?.stop();
  await xero.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The periods page over real HTTP: its status and each month's row (month, state, what it says). */
async function periods(): Promise<{ status: number; html: string; rows: string[][] }> {
  const response = await fetch(new URL('/periods', serve.url));
  const html = await response.text();
  const table = /<table id="period-states">.*?<tbody>(.*?)<\/tbody>/s.exec(html)?.[1] ?? '';
  const rows = [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) =>
      cell[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
    ),
  );
  return { status: response.status, html, rows };
}

describe("the console's periods page", () => {
  it('lists each month open, closing with what blocks it, or closed with its certificate, and links the console to it', async () => {
    const page = await periods();
    expect(page.status).toBe(200);
    expect(page.rows.map((row) => [row[0], row[1]])).toEqual([
      ['2024-03', 'open'],
      ['2024-02', 'closing'],
      ['2024-01', 'closed'],
    ]);
    expect(page.rows[0]![2]).toBe('open until 2024-03-31 ends');
    expect(page.rows[1]![2]).toBe(
      `1 thing(s) block it: unposted_entries xero: 1 entry of 2024-02 not posted (${spendEntry(3).id}): run ledgerline post xero`,
    );
    expect(page.rows[2]![2]).toMatch(
      new RegExp(
        `^certificate sha256:${certificateSha256}, closed .+ by .+; the chain recomputed now gives its certified head; not yet re-verified by a scheduled night$`,
      ),
    );
    expect(await (await fetch(serve.url)).text()).toContain('<a href="/periods">periods</a>');
  });

  it('names each journal of a closed period with its evidence command', async () => {
    const { html } = await periods();
    const journals = xero.fake.journals().map((journal) => journal.manualJournalId);
    for (const [index, date] of [
      [1, '2024-01-10'],
      [2, '2024-01-31'],
    ] as const) {
      const entry = spendEntry(index).id;
      expect(html).toMatch(
        new RegExp(
          `<tr><td>${date}</td><td>${entry}</td><td>xero</td><td>(${journals.join('|')})</td><td class="evidence" data-entry="${entry}">evidence: <code>ledgerline evidence ${entry}</code></td></tr>`,
        ),
      );
    }
  });

  it('shows a filed return (issue 83: it did not): in the row of each month it holds, and in a table of the filings', async () => {
    const filing = await runCli(['vat', 'file', '--period', '2024-01', '--json', '--config', config], { cwd: dir });
    expect(filing.code, filing.stderr).toBe(0);
    const { filedBy, returnSha256 } = (
      JSON.parse(filing.stdout) as { filed: { filedBy: string; returnSha256: string } }
    ).filed;
    const { rows, html } = await periods();
    expect(rows.map((row) => [row[0], row[2]!.startsWith('VAT return 2024-01 filed ')])).toEqual([
      ['2024-03', false],
      ['2024-02', false],
      ['2024-01', true],
    ]);
    expect(rows[2]![2]).toContain(` by ${filedBy}; certificate sha256:`);
    const filed = /<table id="filed-returns">.*?<tbody>(.*?)<\/tbody>/s.exec(html)?.[1] ?? '';
    expect(filed).toMatch(/<td>2024-01<\/td><td>VAT<\/td><td[^>]*>2024-01-01 to 2024-01-31<\/td>/);
    expect(filed).toContain(`sha256:${returnSha256}`);
  });

  it('shows the last night that re-verified the closed periods, and an entry changed behind the triggers both in the closed month and as the blocker of the next', async () => {
    expect((await runCli(['schedule', '--once', '--config', config], { cwd: dir })).code).toBe(0);
    expect((await periods()).rows[2]![2]).toMatch(/; last verified .+: unchanged$/);

    const raw = new Database(join(dir, 'data', 'ledger.sqlite'));
    raw.exec(
      `DROP TRIGGER journal_lines_no_update; UPDATE journal_lines SET amount_micros = amount_micros + 1 WHERE entry_id = '${spendEntry(2).id}' AND line_no = 1`,
    );
    raw.close();
    const { rows } = await periods();
    expect(rows[2]![2]).toContain(`closed period 2024-01 (certificate sha256:${certificateSha256}`);
    expect(rows[2]![2]).toContain(
      `the journal's hash chain breaks at entry ${spendEntry(2).id} (2024-01-31, source smm-panel)`,
    );
    expect(rows[1]![2]).toContain(
      `chain_broken the journal's hash chain breaks at entry ${spendEntry(2).id} (2024-01-31): run ledgerline verify`,
    );
  });
});
