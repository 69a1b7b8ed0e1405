import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMicros } from '../../../src/money/index.js';
import { camt053Text, type SandboxStatement } from '../../../sandbox/bank/statement-writers.js';
import { runLedgerline } from '../../support/cli.js';

/**
 * `transit --as-of DATE` sets the ledger's bank beside the latest statement closing on or before DATE, not one the
 * bank wrote later. October's statement opens at 1,000.00, pays the rent −800.00 on 10-02 and closes at 200.00 on
 * 10-31; November's pays −20.00 on 11-03 and closes at 180.00 on 11-30. As of 11-10, the closing to tie is
 * October's 200.00 against the ledger's 1,000.00 on 10-31 (the rent not yet booked), not November's 180.00.
 */
const line = (id: string, bookedOn: string, amount: string, reference: string) => ({
  id,
  bookedOn,
  amountMicros: parseMicros(amount),
  currency: 'USD',
  reference,
  description: '',
});
const OCTOBER: SandboxStatement = {
  account: 'DE89370400440532013000',
  currency: 'USD',
  from: '2026-10-01',
  to: '2026-10-31',
  lines: [line('B-RENT', '2026-10-02', '-800.00', 'STANDING ORDER OFFICE RENT')],
  balances: { openingMicros: 1_000_000_000n, closingMicros: 200_000_000n },
};
const NOVEMBER: SandboxStatement = {
  ...OCTOBER,
  from: '2026-11-01',
  to: '2026-11-30',
  lines: [line('B-CARD-1', '2026-11-03', '-20.00', 'CARD 4411 SHOP')],
  balances: { openingMicros: 200_000_000n, closingMicros: 180_000_000n },
};

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('the bank balance transit sets beside the ledger', { timeout: 60_000 }, () => {
  it('is the latest statement closing on or before --as-of', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledgerline-bank-balance-check-'));
    made.push(dir);
    mkdirSync(join(dir, 'data'));
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      'ledger: data/ledger.sqlite\ntimezone: UTC\ncurrency: USD\nsources:\n  - { id: main-bank, kind: bank-statement }\n',
    );
    writeFileSync(join(dir, 'october.xml'), camt053Text(OCTOBER));
    writeFileSync(join(dir, 'november.xml'), camt053Text(NOVEMBER));
    const run = (args: string[]) => runLedgerline(args, { cwd: dir });
    for (const file of ['october.xml', 'november.xml']) {
      const imported = await run(['bank', 'import', file, '--account', 'main-bank']);
      expect(imported.code, imported.stdout + imported.stderr).toBeLessThanOrEqual(1);
    }
    const november10 = await run(['transit', '--as-of', '2026-11-10']);
    expect(november10.stdout, november10.stderr).toContain(
      "! bank account main-bank: the statement closes 2026-10-31 at 200.00 USD, the ledger's bank holds 1000.00 that day",
    );
    const december = await run(['transit', '--as-of', '2026-12-01']);
    expect(december.stdout).toContain('the statement closes 2026-11-30 at 180.00 USD');
    const september = await run(['transit', '--as-of', '2026-09-30']);
    expect(september.stdout).not.toContain('the statement closes');
  });
});
