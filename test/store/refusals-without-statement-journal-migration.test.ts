import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { ledgerBeforeMigration } from '../support/ledger-before-migration.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();

/** A ledger as it stood before 0011: one entry with its lines and the cents rendered for it. */
async function ledgerBefore0011(path: string): Promise<void> {
  await ledgerBeforeMigration(path, '0011', (sqlite) => {
    sqlite.transaction(() => {
      const line = sqlite.prepare(
        `INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES ('je:old', ?, ?, 'USD', ?)`,
      );
      line.run(1, 'smm_services_expense', 900_000);
      line.run(2, 'panel_prepaid', -900_000);
      sqlite
        .prepare(
          `INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at) VALUES ('je:old', '2026-03-02', 'smm-panel', 'orders', '[]', 'h', '2026-03-03T02:00:00Z')`,
        )
        .run();
      const rendered = sqlite.prepare(
        `INSERT INTO rendered_lines (entry_id, line_no, account, currency, cents, description) VALUES ('je:old', ?, ?, 'USD', ?, ?)`,
      );
      rendered.run(1, 'smm_services_expense', 90, 'orders');
      rendered.run(2, 'panel_prepaid', -90, null);
    })();
  });
}

describe('upgrading a ledger to refusals that need no statement journal (0011)', () => {
  it('keeps its rendered lines and every refusal, with the same words', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await ledgerBefore0011(path);
    const store = await LedgerStore.open(path);
    const sqlite = store.sqlite;
    expect(
      sqlite
        .prepare('SELECT entry_id, line_no, account, currency, cents, description FROM rendered_lines ORDER BY line_no')
        .all(),
    ).toEqual([
      {
        entry_id: 'je:old',
        line_no: 1n,
        account: 'smm_services_expense',
        currency: 'USD',
        cents: 90n,
        description: 'orders',
      },
      { entry_id: 'je:old', line_no: 2n, account: 'panel_prepaid', currency: 'USD', cents: -90n, description: null },
    ]);
    expect(
      sqlite
        .prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'rendered_lines' AND type = 'trigger' ORDER BY name")
        .pluck()
        .all(),
    ).toEqual(['rendered_lines_no_delete', 'rendered_lines_no_update']);
    expect(() => sqlite.prepare('UPDATE rendered_lines SET cents = 1').run()).toThrowError(
      'rendered lines are immutable: UPDATE refused',
    );
    expect(() => sqlite.prepare('DELETE FROM rendered_lines').run()).toThrowError(
      'rendered lines are immutable: DELETE refused',
    );
    expect(() =>
      sqlite
        .prepare(
          `INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES ('je:old', 3, 'x', 'USD', 7)`,
        )
        .run(),
    ).toThrowError('journal entry already committed: lines cannot be added');
    const unbalanced = sqlite.transaction(() => {
      sqlite
        .prepare(
          `INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES ('je:new', 1, 'x', 'USD', 7), ('je:new', 2, 'y', 'USD', -6)`,
        )
        .run();
      sqlite
        .prepare(
          `INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at) VALUES ('je:new', '2026-03-03', 'smm-panel', 'x', '[]', 'h', 't')`,
        )
        .run();
    });
    expect(() => unbalanced()).toThrowError('journal entry does not balance: debits and credits differ in a currency');
    const orphan = sqlite.transaction(() =>
      sqlite
        .prepare(
          `INSERT INTO rendered_lines (entry_id, line_no, account, currency, cents) VALUES ('je:none', 1, 'x', 'USD', 5)`,
        )
        .run(),
    );
    expect(() => orphan()).toThrowError(/FOREIGN KEY/);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    await store.close();
  });
});
