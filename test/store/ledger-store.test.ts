import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStore } from '../../src/store/index.js';
import { type SqliteLedgerStore } from '../../src/store/sqlite-ledger-store.js';
import { useTempDir } from '../support/temp-dir.js';
import { queryBuilder } from '../../src/store/query-builder.js';

const tempDir = useTempDir();

async function openStore(): Promise<SqliteLedgerStore> {
  return LedgerStore.open(join(tempDir(), 'ledger.sqlite'));
}

function insertLines(store: SqliteLedgerStore, entryId: string, amounts: bigint[], currency = 'USD'): void {
  const insert = store.sqlite.prepare(
    'INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES (?, ?, ?, ?, ?)',
  );
  amounts.forEach((amount, index) => insert.run(entryId, index + 1, `account_${index}`, currency, amount));
}

function insertHeader(store: SqliteLedgerStore, entryId: string): void {
  store.sqlite
    .prepare(
      "INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at) VALUES (?, '2026-03-02', 'smm-panel', 'raw', '[]', 'x', '2026-03-03T00:00:00Z')",
    )
    .run(entryId);
}

describe('the ledger database refuses broken books on its own', () => {
  it('refuses an unbalanced entry written with raw SQL', async () => {
    const store = await openStore();
    const write = store.sqlite.transaction(() => {
      insertLines(store, 'je:raw', [1_000_000n, -999_999n]);
      insertHeader(store, 'je:raw');
    });
    expect(() => write()).toThrowError(/does not balance/);
    expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM journal_lines').get()).toEqual({ n: 0n });
    await store.close();
  });

  it('refuses an entry that balances in total but not per currency', async () => {
    const store = await openStore();
    const write = store.sqlite.transaction(() => {
      insertLines(store, 'je:fx', [1_000_000n], 'USD');
      store.sqlite
        .prepare(
          "INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES ('je:fx', 2, 'b', 'EUR', -1000000)",
        )
        .run();
      insertHeader(store, 'je:fx');
    });
    expect(() => write()).toThrowError(/does not balance/);
    await store.close();
  });

  it('refuses an entry with a single line and lines with no entry', async () => {
    const store = await openStore();
    expect(() =>
      store.sqlite.transaction(() => (insertLines(store, 'je:one', [0n + 5n]), insertHeader(store, 'je:one')))(),
    ).toThrowError(/fewer than two lines/);
    expect(() => store.sqlite.transaction(() => insertLines(store, 'je:orphan', [5n, -5n]))()).toThrowError(
      /FOREIGN KEY/,
    );
    await store.close();
  });

  it('refuses cents rendered for an entry that is not booked, when their unit commits', async () => {
    const store = await openStore();
    const renderOrphan = store.sqlite.transaction(() => {
      store.sqlite
        .prepare(
          "INSERT INTO rendered_lines (entry_id, line_no, account, currency, cents) VALUES ('je:none', 1, 'x', 'USD', 5)",
        )
        .run();
      expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM rendered_lines').get()).toEqual({ n: 1n });
    });
    expect(() => renderOrphan()).toThrowError(/FOREIGN KEY/);
    expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM rendered_lines').get()).toEqual({ n: 0n });
    await store.close();
  });

  it('refuses to add, change or delete lines of a committed entry, or to change the entry', async () => {
    const store = await openStore();
    store.sqlite.transaction(() => {
      insertLines(store, 'je:ok', [2_500_000n, -2_500_000n]);
      insertHeader(store, 'je:ok');
    })();
    expect(() => insertLines(store, 'je:ok', [0n, 0n, 7n])).toThrowError(/already committed|CHECK/);
    expect(() =>
      store.sqlite
        .prepare(
          "INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES ('je:ok', 3, 'x', 'USD', 7)",
        )
        .run(),
    ).toThrowError(/already committed/);
    expect(() =>
      store.sqlite.prepare('UPDATE journal_lines SET amount_micros = 1 WHERE line_no = 1').run(),
    ).toThrowError(/immutable/);
    expect(() => store.sqlite.prepare('DELETE FROM journal_lines').run()).toThrowError(/immutable/);
    expect(() => store.sqlite.prepare("UPDATE journal_entries SET date = '2026-01-01'").run()).toThrowError(
      /immutable/,
    );
    expect(() => store.sqlite.prepare('DELETE FROM journal_entries').run()).toThrowError(/immutable/);
    await store.close();
  });

  it('refuses to update or delete a raw observation', async () => {
    const store = await openStore();
    store.sqlite
      .prepare(
        "INSERT INTO raw_observations (source_id, action, request, as_of, fetched_at, http_status, body, content_hash) VALUES ('smm-panel', 'balance', '{}', '2026-03-02', 't', 200, '{}', 'h')",
      )
      .run();
    expect(() => store.sqlite.prepare('UPDATE raw_observations SET body = \'{"balance":"0"}\'').run()).toThrowError(
      /append-only/,
    );
    expect(() => store.sqlite.prepare('DELETE FROM raw_observations').run()).toThrowError(/append-only/);
    await store.close();
  });

  it('reads 64-bit amounts back exactly', async () => {
    const store = await openStore();
    const big = 9_007_199_254_740_993n;
    store.sqlite.transaction(() => {
      insertLines(store, 'je:big', [big, -big]);
      insertHeader(store, 'je:big');
    })();
    const rows = store.sqlite.prepare('SELECT amount_micros FROM journal_lines ORDER BY line_no').all();
    expect(rows).toEqual([{ amount_micros: big }, { amount_micros: -big }]);
    await store.close();
  });

  it('migrates once: reopening an existing ledger runs nothing', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    const first = await LedgerStore.open(path);
    await first.close();
    const second = await LedgerStore.open(path);
    expect(await second.migrate()).toEqual([]);
    await second.close();
  });

  it('lets go of the file when closed, also after reads that never went through kysely, so a worker opening books per job keeps no handle', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    const handlesOn = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === path;
        } catch {
          return false;
        }
      }).length;
    await (await LedgerStore.open(path)).close();
    for (const options of [{}, { forReading: true }, { readOnly: true }]) {
      const store = await LedgerStore.open(path, options);
      expect(handlesOn()).toBeGreaterThan(0);
      await store.close();
      expect(handlesOn(), JSON.stringify(options)).toBe(0);
    }
  });
});

describe('a unit of work', () => {
  const acknowledge = (store: LedgerStore, itemId: string) =>
    store.unitOfWork((tx) =>
      tx.run(
        queryBuilder(store)
          .insertInto('acknowledgements')
          .values({ item_id: itemId, action: 'ack', note: null, os_user: 'test', at: '2026-03-01T00:00:00.000Z' }),
      ),
    );
  const acknowledged = (store: SqliteLedgerStore) =>
    store.sqlite.prepare('SELECT item_id FROM acknowledgements ORDER BY id').pluck().all();

  it('commits all it wrote, a nested unit included, or nothing when anything in it fails', async () => {
    const store = await openStore();
    await store.unitOfWork(async (tx) => {
      await acknowledge(tx, 'a');
      await tx.unitOfWork((tx) => acknowledge(tx, 'b'));
    });
    const failing = store.unitOfWork(async (tx) => {
      await acknowledge(tx, 'c');
      await tx.unitOfWork(async (tx) => {
        await acknowledge(tx, 'd');
        throw new Error('the close failed');
      });
    });
    await expect(failing).rejects.toThrowError('the close failed');
    expect(acknowledged(store)).toEqual(['a', 'b']);
    await store.close();
  });

  it('makes a call from another async context wait for it, so the call is not rolled back with it', async () => {
    const store = await openStore();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const unit = store.unitOfWork(async (tx) => {
      await acknowledge(tx, 'inside');
      await gate;
      throw new Error('rolled back');
    });
    const outside = acknowledge(store, 'outside');
    const second = store.unitOfWork((tx) => acknowledge(tx, 'second unit'));
    release();
    await expect(unit).rejects.toThrowError('rolled back');
    await outside;
    await second;
    expect(acknowledged(store)).toEqual(['outside', 'second unit']);
    await store.close();
  });
});

describe('a ledger another process is writing', () => {
  it('refuses a write that waited its time for the lock as a busy ledger (exit 75, transient) naming the file, and writes nothing', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    const store = await LedgerStore.open(path, { lockWaitMs: 50 });
    const other = await LedgerStore.open(path);
    try {
      other.sqlite.exec('BEGIN IMMEDIATE');
      const write = store.unitOfWork((tx) =>
        tx.run(queryBuilder(tx).insertInto('runs').values({ id: 'run:1', command: 'sync', started_at: 'now' })),
      );
      await expect(write).rejects.toMatchObject({ name: 'RunInProgressError', exitCode: 75, transient: true });
      await expect(write).rejects.toThrow(`the ledger ${path} is busy`);
      other.sqlite.exec('ROLLBACK');
      expect(store.sqlite.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0n);
    } finally {
      await store.close();
      await other.close();
    }
  });
});
