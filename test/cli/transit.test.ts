import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { expectRefusedMissingLedger, MISSING_LEDGER_CONFIG } from '../support/missing-ledger.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-transit-cli-');

/** Runs each command in a folder of MISSING_LEDGER_CONFIG: each is refused with exit 2 naming the path, and nothing is made. */
async function refusedEach(commands: readonly string[][]): Promise<void> {
  const dir = tempDir();
  writeFileSync(join(dir, 'ledgerline.yaml'), MISSING_LEDGER_CONFIG);
  for (const command of commands) expectRefusedMissingLedger(dir, command, await runLedgerline(command, { cwd: dir }));
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
