import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-reconcile-cli-');

/**
 * `reconcile ack ID`, the exception queue's next step for an open item, on a ledger path with nothing there (a typo,
 * or an entity's path moved): refused naming the path, as the queue itself is, and no empty ledger is left behind.
 */
describe('ledgerline reconcile ack on a ledger path with nothing there', () => {
  it('exits 2 naming the path and creates nothing, ack and unack alike', async () => {
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
    const item = 'finding:panel-01:balance_fall:2026-03-02:2026-03-02';
    for (const command of [
      ['reconcile', 'ack', item, '--note', 'missed order'],
      ['reconcile', 'unack', item],
    ]) {
      const refused = await runLedgerline(command, { cwd: dir });
      expect([refused.code, refused.stdout], command.join(' ')).toEqual([2, '']);
      expect(refused.stderr, command.join(' ')).toContain(
        `there is no ledger at ${join(dir, 'typo', 'ledger.sqlite')}`,
      );
    }
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });
});
