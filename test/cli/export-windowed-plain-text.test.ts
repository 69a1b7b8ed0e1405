import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/index.js';
import { seededRandom } from '../../sandbox/seeded-random.js';
import { runLedgerline } from '../support/cli.js';
import { monthEndStatementWorkspace } from '../support/month-end-statement.js';
import { PLAIN_TEXT_TOOL_ENV } from '../support/plain-text-tools.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Issue 69 point 5: a plain-text export of a window that starts after the books do opens with the balances at the
 * window's start, so hledger's and Beancount's own checks hold on the window alone. The books: the month-end world
 * (03-10 to 04-30: the panel's balance asserted at each close) with the sandbox bank's statement imported (the
 * bank legs of the top-up of 03-25 and the payout of 03-31 booked). The window, then ten windows drawn from
 * a seed, each exported as hledger and as Beancount and checked by the real tools (.ci/run installs them).
 */
const FIRST = '2026-03-10';
const LAST = '2026-04-30';
const SEED = 69;

/** `count` windows inside FIRST…LAST, drawn from SEED: the same ten on every run. */
function seededWindows(count: number): [string, string][] {
  const random = seededRandom(SEED);
  const span = (Date.parse(LAST) - Date.parse(FIRST)) / 86_400_000;
  return Array.from({ length: count }, () => {
    const start = random.int(1, span);
    const end = random.int(start, span);
    return [addDays(FIRST, start), addDays(FIRST, end)];
  });
}

/** "-0.9" → -900000n, from the text, never through a float. */
function micros(text: string): bigint {
  const [whole, fraction = ''] = text.replace(/,/g, '').split('.');
  const value = BigInt(whole!.replace('-', '')) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return text.startsWith('-') ? -value : value;
}

const tempDir = useTempDir();
let dir: string;

beforeAll(async () => {
  dir = await monthEndStatementWorkspace(tempDir());
}, 180_000);

const exported = async (format: string, from: string, to: string): Promise<string> => {
  const path = join(dir, `${from}-${to}.${format}`);
  const run = await runLedgerline(['export', '--format', format, '--from', from, '--to', to, '--out', path], {
    cwd: dir,
  });
  expect(run.code, run.stderr).toBe(0);
  return path;
};

const hledger = (...args: string[]) => execFileSync('hledger', args, { encoding: 'utf8', env: PLAIN_TEXT_TOOL_ENV });

/** Each ledger account's balance in an hledger journal, its sources added up: assets:bank:operating → bank. */
function hledgerBalances(path: string): Map<string, bigint> {
  const csv = hledger('-f', path, 'balance', '--flat', '--no-total', '--output-format', 'csv');
  const byAccount = new Map<string, bigint>();
  for (const [account, amount] of csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('","').map((cell) => cell.replace(/"/g, '')))) {
    const key = account!.split(':').slice(0, 2).join(':');
    byAccount.set(key, (byAccount.get(key) ?? 0n) + micros(amount!.replace(/ USD$/, '')));
  }
  return byAccount;
}

describe('a windowed plain-text export opens with the balances at its start', { timeout: 120_000 }, () => {
  it("checks under hledger --strict for the issue's window, and its balance-sheet accounts end where the ledger's do", async () => {
    const path = await exported('hledger', '2026-03-15', '2026-03-31');
    hledger('-f', path, 'check', '--strict');
    const balances = JSON.parse(
      (await runLedgerline(['balances', '--as-of', '2026-03-31', '--json'], { cwd: dir })).stdout,
    ) as { rows: { account: string; type?: string; net: string }[] };
    const window = hledgerBalances(path);
    // panel_prepaid's reported balance at the 03-31 close (month-end-world.ts): 337.23209 USD.
    expect(window.get('assets:panel_prepaid')).toBe(337_232_090n);
    for (const row of balances.rows) {
      const inWindow = window.get(`assets:${row.account}`) ?? window.get(`liabilities:${row.account}`);
      if (inWindow !== undefined) expect(inWindow, row.account).toBe(micros(row.net));
    }
    // The window's result stays its own: the earlier months' is the opening account's.
    expect(window.get('equity:opening_balances')).toBeDefined();
  });

  it.each(seededWindows(10))('hledger check --strict and bean-check pass on %s … %s', async (from, to) => {
    hledger('-f', await exported('hledger', from, to), 'check', '--strict');
    const beancount = await exported('beancount', from, to);
    expect(execFileSync('bean-check', [beancount], { encoding: 'utf8', env: PLAIN_TEXT_TOOL_ENV })).toBe('');
  });
});
