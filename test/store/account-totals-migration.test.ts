import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { accountTotals } from '../../src/store/account-totals.js';
import { ledgerBeforeMigration } from '../support/ledger-before-migration.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();

/** A ledger as it stood before 0012: two sources, the second entry's cents balanced by a rounding line, and the first source's running totals. */
async function ledgerBefore0012(path: string): Promise<void> {
  await ledgerBeforeMigration(path, '0012', (sqlite) => {
    const line = sqlite.prepare(
      `INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES (?, ?, ?, 'USD', ?)`,
    );
    const entry = sqlite.prepare(
      `INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at) VALUES (?, '2026-03-02', ?, 'x', '[]', 'h', '2026-03-03T02:00:00Z')`,
    );
    const rendered = sqlite.prepare(
      `INSERT INTO rendered_lines (entry_id, line_no, account, currency, cents) VALUES (?, ?, ?, 'USD', ?)`,
    );
    sqlite.transaction(() => {
      line.run('je:a', 1, 'smm_services_expense', 1_004_000);
      line.run('je:a', 2, 'panel_prepaid', -1_004_000);
      entry.run('je:a', 'smm-panel');
      rendered.run('je:a', 1, 'smm_services_expense', 100);
      rendered.run('je:a', 2, 'panel_prepaid', -100);
      line.run('je:b', 1, 'advertising_expense', 5_000);
      line.run('je:b', 2, 'fees', 5_000);
      line.run('je:b', 3, 'payelancer_prepaid', -10_000);
      entry.run('je:b', 'ads');
      rendered.run('je:b', 1, 'advertising_expense', 1);
      rendered.run('je:b', 2, 'fees', 1);
      rendered.run('je:b', 3, 'payelancer_prepaid', -1);
      rendered.run('je:b', 4, 'rounding', -1);
      const total = sqlite.prepare(
        `INSERT INTO running_totals (source_id, account, currency, exact_micros) VALUES ('smm-panel', ?, 'USD', ?)`,
      );
      total.run('smm_services_expense', 1_004_000);
      total.run('panel_prepaid', -1_004_000);
    })();
  });
}

describe('upgrading a ledger to account totals kept with the running totals (0012)', () => {
  it('takes each total from the lines, adds the totals a ledger lacked and the rounding cents, and drops the covering indexes', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await ledgerBefore0012(path);
    const store = await LedgerStore.open(path);
    expect(store.sqlite.prepare('SELECT * FROM running_totals ORDER BY source_id, account').all()).toEqual([
      {
        source_id: 'ads',
        account: 'advertising_expense',
        currency: 'USD',
        exact_micros: 5_000n,
        debit_micros: 5_000n,
        credit_micros: 0n,
        debit_cents: 1n,
        credit_cents: 0n,
      },
      {
        source_id: 'ads',
        account: 'fees',
        currency: 'USD',
        exact_micros: 5_000n,
        debit_micros: 5_000n,
        credit_micros: 0n,
        debit_cents: 1n,
        credit_cents: 0n,
      },
      {
        source_id: 'ads',
        account: 'payelancer_prepaid',
        currency: 'USD',
        exact_micros: -10_000n,
        debit_micros: 0n,
        credit_micros: 10_000n,
        debit_cents: 0n,
        credit_cents: 1n,
      },
      {
        source_id: 'ads',
        account: 'rounding',
        currency: 'USD',
        exact_micros: 0n,
        debit_micros: 0n,
        credit_micros: 0n,
        debit_cents: 0n,
        credit_cents: 1n,
      },
      {
        source_id: 'smm-panel',
        account: 'panel_prepaid',
        currency: 'USD',
        exact_micros: -1_004_000n,
        debit_micros: 0n,
        credit_micros: 1_004_000n,
        debit_cents: 0n,
        credit_cents: 100n,
      },
      {
        source_id: 'smm-panel',
        account: 'smm_services_expense',
        currency: 'USD',
        exact_micros: 1_004_000n,
        debit_micros: 1_004_000n,
        credit_micros: 0n,
        debit_cents: 100n,
        credit_cents: 0n,
      },
    ]);
    expect((await accountTotals(store, {})).find((row) => row.account === 'rounding')).toEqual({
      period: null,
      account: 'rounding',
      currency: 'USD',
      debitMicros: 0n,
      creditMicros: 0n,
      debitCents: 0n,
      creditCents: 1n,
    });
    expect(
      store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_by_account_%'").all(),
    ).toEqual([]);
    await store.close();
  });
});
