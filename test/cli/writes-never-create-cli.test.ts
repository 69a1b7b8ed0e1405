import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import {
  expectRefusedMissingLedger,
  MISSING_LEDGER_CONFIG,
  UNANSWERED_XERO_DESTINATION,
} from '../support/missing-ledger.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-writes-never-create-');

/** The same, with a Xero destination on a port nothing answers, for post and close. */
const MISSING_LEDGER_POST_CONFIG = [MISSING_LEDGER_CONFIG, UNANSWERED_XERO_DESTINATION].join('\n');

/**
 * Only init, migrate and a sync make a ledger (issue 72 item 4, as the reads): a command that records into books a
 * sync made (a month's close, an adjusting entry's approval, a filed VAT return, a post) refuses a ledger path with
 * nothing there, naming it, rather than make an empty ledger and seal, file or post from it.
 */
describe('commands that write into existing books, on a ledger path with nothing there', () => {
  it('close, adjust, vat file and post exit 2 naming the path, and create nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ledgerline.yaml'), MISSING_LEDGER_CONFIG);
    writeFileSync(join(dir, 'post.yaml'), MISSING_LEDGER_POST_CONFIG);
    for (const command of [
      ['close', '--period', '2026-02'],
      ['adjust', 'approve', 'adj-1'],
      ['adjust', '--date', '2026-02-10', '--debit', 'bank_fees=1.00', '--credit', 'bank=1.00', '--reason', 'fee'],
      ['vat', 'file', '--period', '2026-Q1'],
      ['post', 'xero', '--dry-run', '--config', 'post.yaml'],
      ['post', 'xero', '--config', 'post.yaml'],
      // With a destination: the ledger is looked for before any destination is asked (this one answers nothing).
      ['close', '--period', '2026-02', '--config', 'post.yaml'],
    ]) {
      const refused = await runLedgerline(command, { cwd: dir, env: { XERO_CLIENT_SECRET: 'secret' } });
      expectRefusedMissingLedger(dir, command, refused);
    }
  });
});
