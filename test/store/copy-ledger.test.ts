import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { copyLedgerToPostgres } from '../../src/store/copy-ledger.js';
import { ledgerTableCounts } from '../../src/store/ledger-copy-proof.js';
import { LEDGER_TABLES } from '../../src/store/ledger-copy-tables.js';
import { insertNewEvents } from '../../src/pipeline/sync/books/close-writes.js';
import { landRawReply } from '../../src/pipeline/landing/books/landing-rows.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { useTempDir } from '../support/temp-dir.js';
import { boundTo, queryBuilder } from '../../src/store/query-builder.js';

const { freshDatabase } = usePostgresServer();
const tempDir = useTempDir();

describe('the tables migrate --to copies', () => {
  it('are every table of a migrated ledger, each with the columns in PostgreSQL the SQLite file gives it', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await (await LedgerStore.open(path)).close();
    const sqlite = new Database(path, { readonly: true });
    const target = await LedgerStore.openAt(await freshDatabase());
    try {
      const tables = (
        sqlite
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name",
          )
          .all() as { name: string }[]
      ).map((row) => row.name);
      // ledger_identity is carried over by itself: the copy takes the identity of the ledger it copies.
      expect(LEDGER_TABLES.map((table) => table.name).sort()).toEqual(
        tables.filter((name) => name !== 'ledger_identity'),
      );
      for (const table of LEDGER_TABLES) {
        const columns = (sqlite.prepare(`PRAGMA table_info(${table.name})`).all() as { name: string }[]).map(
          (row) => row.name,
        );
        const inPostgres = await target.all(
          boundTo(
            target,
            sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = ${table.name}`,
          ),
        );
        expect(inPostgres.map((row) => row.name).sort(), table.name).toEqual([...columns].sort());
      }
    } finally {
      sqlite.close();
      await target.close();
    }
  });
});

describe('copying a SQLite ledger into PostgreSQL', () => {
  it('carries more rows than one batch holds, megabyte replies included, exactly, and the database numbers the next row after them', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    const source = await LedgerStore.open(path);
    const big = 'x'.repeat(1_500_000);
    const replies = Array.from({ length: 1203 }, (_, index) => ({
      body: index % 200 === 7 ? big : `{"n":${index}}`,
      index,
    }));
    await source.unitOfWork(async (tx) => {
      for (const { body, index } of replies) {
        await landRawReply(tx, {
          sourceId: 'smm-panel',
          action: 'status',
          request: `{"orders":"${index}"}`,
          asOf: '2026-03-01',
          fetchedAt: '2026-03-02T00:00:00Z',
          httpStatus: 200,
          body,
          contentHash: `h${index}`,
          runId: 'run:1',
        });
      }
      await insertNewEvents(
        tx,
        [
          {
            id: 'e:1',
            sourceId: 'smm-panel',
            kind: 'panel_opening_balance',
            date: '2026-03-01',
            currency: 'USD',
            amountMicros: 250_000_000n,
            ref: '2026-03-01',
            detail: '{}',
          },
        ],
        {
          runId: 'run:1',
          now: '2026-03-02T00:00:00Z',
        },
      );
    });
    await new Ledger(journalBooksOver(source)).appendEntries(
      [
        {
          id: 'je:1',
          date: '2026-03-01',
          sourceId: 'smm-panel',
          description: 'opening',
          eventIds: ['e:1'],
          lines: [
            { account: 'panel_prepaid', currency: 'USD', amountMicros: 250_000_000n },
            { account: 'opening_balance_equity', currency: 'USD', amountMicros: -250_000_000n },
          ],
        },
      ],
      { now: new Date('2026-03-02T00:00:00Z') },
    );
    await source.close();
    const fileBefore = readFileSync(path);

    const url = await freshDatabase();
    const copied = await copyLedgerToPostgres(path, url, async (from, to) => ({
      proof: [await ledgerTableCounts(from), await ledgerTableCounts(to)],
      equal: true,
    }));
    expect(copied.kept).toBe(true);
    const [fromCounts, toCounts] = copied.proof;
    expect(toCounts).toEqual(fromCounts);
    expect(toCounts?.find((count) => count.table === 'raw_observations')?.rows).toBe(1203n);
    expect(readFileSync(path).equals(fileBefore)).toBe(true);

    const target = await LedgerStore.openAt(url);
    try {
      const rows = await target.all(
        queryBuilder(target).selectFrom('raw_observations').select(['id', 'body']).orderBy('id'),
      );
      expect(rows.map((row) => row.id)).toEqual(replies.map((_, index) => BigInt(index + 1)));
      expect(rows.map((row) => row.body)).toEqual(replies.map((reply) => reply.body));
      expect(await target.all(queryBuilder(target).selectFrom('entry_events').selectAll())).toEqual([
        { event_id: 'e:1', entry_id: 'je:1' },
      ]);
      await target.unitOfWork((tx) =>
        landRawReply(tx, {
          sourceId: 'smm-panel',
          action: 'status',
          request: '{}',
          asOf: '2026-03-02',
          fetchedAt: '2026-03-03T00:00:00Z',
          httpStatus: 200,
          body: '{}',
          contentHash: 'h',
          runId: 'run:2',
        }),
      );
      const last = await target.first(
        queryBuilder(target).selectFrom('raw_observations').select('id').orderBy('id', 'desc').limit(1),
      );
      expect(last?.id).toBe(1204n);
    } finally {
      await target.close();
    }
  });

  it('refuses a source that is not there, creating nothing where it was looked for', async () => {
    const dir = tempDir();
    const url = await freshDatabase();
    const copy = copyLedgerToPostgres(join(dir, 'missing', 'ledger.sqlite'), url, async () => ({
      proof: undefined,
      equal: true,
    }));
    await expect(copy).rejects.toThrow(/there is no ledger at .*missing\/ledger\.sqlite;/);
    expect(() => readFileSync(join(dir, 'missing'))).toThrow(/ENOENT/);
  });
});
