import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-transit-cli-');

/** A configuration whose ledger path has a typo: nothing is there. */
const TYPO_CONFIG = [
  'ledger: ./typo/ledger.sqlite',
  'timezone: UTC',
  'currency: USD',
  'payouts: { method: paypal }',
  'sources: []',
].join('\n');

/** Runs each command in a folder of TYPO_CONFIG: each is refused with exit 2 naming the path, and nothing is made. */
async function refusedEach(commands: readonly string[][]): Promise<void> {
  const dir = tempDir();
  writeFileSync(join(dir, 'ledgerline.yaml'), TYPO_CONFIG);
  for (const command of commands) {
    const refused = await runLedgerline(command, { cwd: dir });
    expect([refused.code, refused.stdout], command.join(' ')).toEqual([2, '']);
    expect(refused.stderr, command.join(' ')).toContain(`there is no ledger at ${join(dir, 'typo', 'ledger.sqlite')}`);
  }
  expect(existsSync(join(dir, 'typo'))).toBe(false);
}

/**
 * Reads never create (issue 72): `transit` with a ledger path that has nothing there, as a typo in a cron line or a
 * scrape job writes it, is refused naming the path, not answered "no payouts or top-ups" from a new empty ledger.
 */
describe('ledgerline transit on a ledger path with nothing there', () => {
  it('exits 2 naming the path and creates nothing, listing or judging as of a day alike', async () => {
    await refusedEach([['transit'], ['transit', '--as-of', '2026-03-05'], ['transit', '--json']]);
  });

  it('refuses a decision on an item (accept, match, unmatch) the same way: no item is in books that are not there', async () => {
    const item = 'payelancer:pub:payout:2026-03-31';
    await refusedEach([
      ['transit', 'accept', item, '--note', 'fee withheld'],
      ['transit', 'match', item, 'main-bank:L-1'],
      ['transit', 'unmatch', item],
    ]);
  });
});
