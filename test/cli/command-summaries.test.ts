import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * What `ledgerline help` says a command does must be what it does. `bank import` lands the lines, and in the same
 * transaction books journal entries: the bank legs of the payouts and top-ups the lines settle and, for the
 * account's first statement, its opening balance. A summary saying the lines are only landed "raw, as evidence"
 * tells a finance lead that nothing reaches the books.
 */
const tempDir = useTempDir('ledgerline-command-summaries-');

describe('ledgerline help bank', () => {
  it("says the import books the bank legs and the first statement's opening, not only that it lands lines", async () => {
    const help = await runLedgerline(['help', 'bank'], { cwd: tempDir() });
    expect(help.code, help.stderr).toBe(0);
    const summary = help.stdout.split('\n')[0]!;
    expect(summary).not.toContain('landed raw');
    expect(summary).toContain('bank legs');
    expect(summary).toContain('opening balance');
  });
});
