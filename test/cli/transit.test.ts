import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-transit-cli-');

/**
 * Reads never create (issue 72): `transit` with a ledger path that has nothing there, as a typo in a cron line or a
 * scrape job writes it, is refused naming the path, not answered "no payouts or top-ups" from a new empty ledger.
 */
describe('ledgerline transit on a ledger path with nothing there', () => {
  it('exits 2 naming the path and creates nothing, listing or judging as of a day alike', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      [
        'ledger: ./typo/ledger.sqlite',
        'timezone: UTC',
        'currency: USD',
        'payouts: { method: paypal }',
        'sources: []',
      ].join('\n'),
    );
    const missing = join(dir, 'typo', 'ledger.sqlite');
    for (const command of [['transit'], ['transit', '--as-of', '2026-03-05'], ['transit', '--json']]) {
      const refused = await runLedgerline(command, { cwd: dir });
      expect([refused.code, refused.stdout], command.join(' ')).toEqual([2, '']);
      expect(refused.stderr, command.join(' ')).toContain(`there is no ledger at ${missing}`);
    }
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });
});
