import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickbooksDocNumber } from '../../src/destinations/quickbooks/quickbooks-payload.js';
import { Ledger } from '../../src/ledger/index.js';
import { LedgerStore } from '../../src/store/index.js';
import type { RenderedEntry } from '../../src/rules/index.js';
import { ledgerBeforeMigration } from '../support/ledger-before-migration.js';
import { useTempDir } from '../support/temp-dir.js';
import { queryBuilder } from '../../src/store/query-builder.js';

const tempDir = useTempDir();

/** A ledger as it stood before 0006, with two entries appended out of date order (positions 1 and 2). */
async function ledgerBeforeIdentity(path: string): Promise<void> {
  await ledgerBeforeMigration(path, '0006', (sqlite) => {
    const line = sqlite.prepare(
      `INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES (?, ?, ?, 'USD', ?)`,
    );
    const rendered = sqlite.prepare(
      `INSERT INTO rendered_lines (entry_id, line_no, account, currency, cents) VALUES (?, ?, ?, 'USD', ?)`,
    );
    const entry = sqlite.prepare(
      `INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, run_id, created_at) VALUES (?, ?, 'smm-panel', 'orders', '[]', 'h', NULL, '2026-03-04T02:00:00Z')`,
    );
    const book = sqlite.transaction((id: string, date: string) => {
      line.run(id, 1, 'smm_services_expense', 900_000);
      line.run(id, 2, 'panel_prepaid', -900_000);
      entry.run(id, date);
      rendered.run(id, 1, 'smm_services_expense', 90);
      rendered.run(id, 2, 'panel_prepaid', -90);
    });
    book('je:smm-panel:2026-03-03', '2026-03-03');
    book('je:smm-panel:2026-03-02', '2026-03-02');
  });
}

async function collect(entries: AsyncIterable<RenderedEntry>): Promise<RenderedEntry[]> {
  const all: RenderedEntry[] = [];
  for await (const entry of entries) all.push(entry);
  return all;
}

describe('upgrading a ledger booked before journal numbers came from the books', () => {
  it('keeps the numbers its entries may have been posted with; entries booked afterwards get date-and-hash numbers', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await ledgerBeforeIdentity(path);
    const store = await LedgerStore.open(path);
    const ledger = new Ledger(journalBooksOver(store));
    await ledger.appendEntry(
      {
        id: 'je:ads-advertiser:2026-03-02',
        date: '2026-03-02',
        sourceId: 'ads-advertiser',
        description: 'spend',
        eventIds: [],
        lines: [
          { account: 'advertising_expense', currency: 'USD', amountMicros: 1_000_000n },
          { account: 'payelancer_prepaid', currency: 'USD', amountMicros: -1_000_000n },
        ],
      },
      { now: new Date('2026-03-05T02:00:00Z') },
    );
    const numbers = (await collect(ledger.renderedEntries())).map((entry) => [entry.id, quickbooksDocNumber(entry)]);
    // Book order (date, source, id); the old entries keep "LL-<position>-<6 hex of sha256(id)>" (sha256 of je:smm-panel:2026-03-02 begins 1aae03).
    expect(numbers).toEqual([
      ['je:ads-advertiser:2026-03-02', quickbooksDocNumber({ id: 'je:ads-advertiser:2026-03-02', date: '2026-03-02' })],
      ['je:smm-panel:2026-03-02', 'LL-2-1aae03'],
      ['je:smm-panel:2026-03-03', 'LL-1-4eb976'],
    ]);
    expect(numbers[0]![1]).toMatch(/^LL-20260302-[0-9a-z]{9}$/);
    await expect(
      store.unitOfWork((tx) => tx.run(queryBuilder(store).deleteFrom('legacy_journal_numbers'))),
    ).rejects.toThrow('legacy journal numbers are append-only: DELETE refused');
    await ledger.close();
  });
});
