import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();

describe('ledgerline demo', () => {
  it('runs the whole path on the sandbox and leaves balanced exports behind', async () => {
    const cwd = tempDir();
    const dir = join(cwd, 'demo');
    const started = Date.now();
    const run = await runLedgerline(['demo', '--dir', dir], { cwd, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(run.stdout).toContain('2. sync: 35 closes, 2026-03-01 to 2026-04-04');
    const check = /panel balance at the last close: sandbox (\S+), ledger panel_prepaid (\S+)/.exec(run.stdout);
    expect(check?.[1]).toBeDefined();
    expect(check?.[2]).toBe(check?.[1]);

    const generic = readFileSync(join(dir, 'export-generic.csv'), 'utf8').trim().split('\r\n');
    expect(generic[0]).toBe('journal_id,date,account,debit,credit,currency,description,source,source_ref');
    const netCentsByJournal = new Map<string, bigint>();
    for (const row of generic.slice(1)) {
      const [journal, , , debit, credit] = row.split(',');
      const cents = (text: string | undefined) => (text ? BigInt(text.replace('.', '')) : 0n);
      netCentsByJournal.set(journal!, (netCentsByJournal.get(journal!) ?? 0n) + cents(debit) - cents(credit));
    }
    expect(netCentsByJournal.size).toBeGreaterThan(35);
    expect([...netCentsByJournal.values()].every((net) => net === 0n)).toBe(true);
    expect(readFileSync(join(dir, 'export-xero.csv'), 'utf8')).toMatch(/^\*Narration,\*Date,/);
    expect(readFileSync(join(dir, 'export-quickbooks.csv'), 'utf8')).toMatch(/^Journal No,Journal Date,/);
  });
});
