import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import type { SyncedWorld, Workspace } from './scenario-harness.js';
import { copiedSyncedWorld } from '../support/built-worlds.js';
import { PLAIN_TEXT_TOOL_ENV } from '../support/plain-text-tools.js';

/**
 * The five days across the month end exported as hledger and Beancount
 * journals and checked by the real tools (Debian's hledger and beancount,
 * installed by .ci/run): no errors, every panel-balance assertion holds, and
 * hledger's balances equal `ledgerline balances --json`.
 */
/** "-0.9" → -900000n, written here from the text, not through a float. */
function micros(text: string): bigint {
  const [whole, fraction = ''] = text.replace(/,/g, '').split('.');
  const value = BigInt(whole!.replace('-', '')) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return text.startsWith('-') ? -value : value;
}

describe('plain-text ledgers checked by hledger and bean-check', { timeout: 90_000 }, () => {
  let world: SyncedWorld | undefined;
  let workspace: Workspace;

  beforeAll(async () => {
    world = await copiedSyncedWorld(script, 'plain-text', DAYS);
    ({ workspace } = world);
  }, 90_000);

  afterAll(() => world?.close());

  const exported = async (format: string): Promise<string> => {
    const path = join(workspace.dir, `books.${format}`);
    const run = await workspace.run(['export', '--format', format, '--out', path]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\d+ entries, 5 balance assertions/);
    return path;
  };

  it('hledger checks the journal, its assertions hold, and its balances equal ledgerline balances', async () => {
    const path = await exported('hledger');
    execFileSync('hledger', ['-f', path, 'check'], { encoding: 'utf8', env: PLAIN_TEXT_TOOL_ENV });
    const hledger = execFileSync('hledger', ['-f', path, 'balance', '--flat', '--no-total', '--output-format', 'csv'], {
      encoding: 'utf8',
      env: PLAIN_TEXT_TOOL_ENV,
    });
    const byAccount = new Map<string, bigint>();
    for (const [account, amount] of hledger
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('","').map((cell) => cell.replace(/"/g, '')))) {
      const [, ledgerAccount] = account!.split(':');
      byAccount.set(ledgerAccount!, (byAccount.get(ledgerAccount!) ?? 0n) + micros(amount!.replace(/ USD$/, '')));
    }
    const balances = JSON.parse((await workspace.run(['balances', '--json'])).stdout) as {
      rows: { account: string; net: string }[];
    };
    for (const row of balances.rows.filter((candidate) => candidate.net !== '0.00')) {
      expect(byAccount.get(row.account), row.account).toBe(micros(row.net));
    }
    expect(readFileSync(path, 'utf8')).toContain('assets:panel_prepaid:smm-panel  0 USD = 98.3413 USD');
  });

  it('hledger refuses the journal when a panel balance assertion is false', async () => {
    const path = await exported('hledger');
    writeFileSync(path, readFileSync(path, 'utf8').replace('= 98.3413 USD', '= 98.3414 USD'));
    expect(() =>
      execFileSync('hledger', ['-f', path, 'check'], { encoding: 'utf8', stdio: 'pipe', env: PLAIN_TEXT_TOOL_ENV }),
    ).toThrow(/balance assertion/i);
  });

  it('bean-check accepts the Beancount journal with its balance assertions', async () => {
    const path = await exported('beancount');
    expect(execFileSync('bean-check', [path], { encoding: 'utf8', env: PLAIN_TEXT_TOOL_ENV })).toBe('');
    expect(readFileSync(path, 'utf8')).toContain('2026-04-03 balance Assets:Panel-prepaid:Smm-panel 98.3413 USD');
  });
});
