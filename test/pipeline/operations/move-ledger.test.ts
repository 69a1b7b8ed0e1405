import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { moveLedgerToPostgres } from '../../../src/pipeline/operations/move-ledger.js';
import { LedgerSealedError } from '../../../src/errors.js';
import { withOpenBooks } from '../../support/books.js';
import { rowCountsAndChainHead } from '../../support/ledger-engines.js';
import { queryTables, writeTables } from '../../support/ledger-tables.js';
import { usePostgresServer } from '../../support/postgres-server.js';
import { useTempDir } from '../../support/temp-dir.js';

const { freshDatabase } = usePostgresServer();
const tempDir = useTempDir();

/** A SQLite ledger of two entries: the opening of the panel's prepaid balance and one day's charge. */
async function twoEntryLedger(): Promise<string> {
  const path = join(tempDir(), 'ledger.sqlite');
  await withOpenBooks(path, async (books) => {
    const event = (id: string, kind: string, date: string, amountMicros: bigint) => ({
      id,
      sourceId: 'smm-panel',
      kind,
      date,
      currency: 'USD',
      amountMicros,
      ref: id,
      detail: '{}',
    });
    const events = [
      event('ev:1', 'panel_opening_balance', '2026-03-01', 250_000_000n),
      event('ev:2', 'order_charge', '2026-03-02', 450_000n),
      event('ev:3', 'order_charge', '2026-03-02', 450_000n),
    ];
    await writeTables(books, (db) =>
      db.insertInto('source_events').values(
        events.map(({ sourceId, amountMicros, ...event }) => ({
          ...event,
          source_id: sourceId,
          amount_micros: amountMicros,
          run_id: 'run:1',
          created_at: '2026-03-03T00:00:00Z',
        })),
      ),
    );
    await books.ledger.appendEntries(
      [
        {
          id: 'je:smm-panel:2026-03-01',
          date: '2026-03-01',
          sourceId: 'smm-panel',
          description: 'opening balance',
          eventIds: ['ev:1'],
          lines: [
            { account: 'panel_prepaid', currency: 'USD', amountMicros: 250_000_000n, description: 'prepaid' },
            { account: 'opening_balance_equity', currency: 'USD', amountMicros: -250_000_000n },
          ],
        },
        {
          id: 'je:smm-panel:2026-03-02',
          date: '2026-03-02',
          sourceId: 'smm-panel',
          description: 'charges',
          eventIds: ['ev:2', 'ev:3'],
          lines: [
            { account: 'smm_services_expense', currency: 'USD', amountMicros: 900_000n },
            { account: 'panel_prepaid', currency: 'USD', amountMicros: -900_000n },
          ],
        },
      ],
      { now: new Date('2026-03-03T00:00:00Z') },
    );
  });
  return path;
}

const MOVED_AT = '2026-03-04T09:00:00.000Z';

/** Which ledger is at `location`, and its seal once `migrate --to` moved it (the identity row a ledger holds). */
async function identityAt(location: string) {
  const [row] = await queryTables(location, (db) =>
    db.selectFrom('ledger_identity').select(['id', 'created_at', 'moved_to', 'moved_at']),
  );
  return {
    id: row!.id,
    createdAt: row!.created_at,
    seal: row!.moved_to === null ? undefined : { movedTo: row!.moved_to, movedAt: row!.moved_at },
  };
}

async function onDatabase(url: string, statements: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('moving a SQLite ledger into PostgreSQL', () => {
  it('gives the copy the identity of the ledger it copies and seals the file, which cannot be moved a second time', async () => {
    const from = await twoEntryLedger();
    const before = await identityAt(from);
    expect(before.id).toMatch(/^[0-9a-f]{32}$/);
    const url = await freshDatabase();
    const move = await moveLedgerToPostgres(from, url, MOVED_AT);
    const parsed = new URL(url);
    const movedTo = `postgres://${parsed.username}@127.0.0.1:${parsed.port}${parsed.pathname}`;
    expect(move.seal).toEqual({ movedTo });
    expect(await identityAt(from)).toEqual({ ...before, seal: { movedTo, movedAt: MOVED_AT } });
    expect(await identityAt(url)).toEqual({ ...before, seal: undefined });
    expect(movedTo).not.toContain(parsed.password);
    await expect(moveLedgerToPostgres(from, await freshDatabase(), MOVED_AT)).rejects.toThrow(LedgerSealedError);
  });

  it('proves an equal copy: every table, the trial balance and both entries content hashes read alike', async () => {
    const move = await moveLedgerToPostgres(await twoEntryLedger(), await freshDatabase(), MOVED_AT);
    expect(move.kept).toBe(true);
    expect(move.proof.differences).toEqual([]);
    expect(move.proof.tables.find((row) => row.table === 'journal_lines')).toEqual({
      table: 'journal_lines',
      source: 4n,
      target: 4n,
    });
    expect(move.proof.trialBalance).toEqual([
      {
        account: 'opening_balance_equity',
        currency: 'USD',
        source: { debitMicros: 0n, creditMicros: 250_000_000n },
        target: { debitMicros: 0n, creditMicros: 250_000_000n },
      },
      {
        account: 'panel_prepaid',
        currency: 'USD',
        source: { debitMicros: 250_000_000n, creditMicros: 900_000n },
        target: { debitMicros: 250_000_000n, creditMicros: 900_000n },
      },
      {
        account: 'smm_services_expense',
        currency: 'USD',
        source: { debitMicros: 900_000n, creditMicros: 0n },
        target: { debitMicros: 900_000n, creditMicros: 0n },
      },
    ]);
    expect(move.proof.entries).toMatchObject({ source: 2, target: 2 });
    expect(move.proof.entries.targetDigest).toBe(move.proof.entries.sourceDigest);
  });

  it('finds a copy the database changed on its way in (a trigger of its own rewriting a line), names each entry, and keeps nothing of it', async () => {
    const url = await freshDatabase();
    await withOpenBooks(url, () => undefined);
    await onDatabase(url, [
      `CREATE FUNCTION rewrite_line() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.description := 'rewritten'; RETURN NEW; END $$`,
      'CREATE TRIGGER a_rewrite_line BEFORE INSERT ON journal_lines FOR EACH ROW EXECUTE FUNCTION rewrite_line()',
    ]);
    const from = await twoEntryLedger();
    const move = await moveLedgerToPostgres(from, url, MOVED_AT);
    expect(move.seal).toBeUndefined();
    expect((await identityAt(from)).seal).toBeUndefined();
    expect(move.kept).toBe(false);
    expect(move.proof.differenceCount).toBe(2);
    expect(move.proof.differences).toEqual([
      expect.stringMatching(
        /^entry je:smm-panel:2026-03-01: its lines hash to [0-9a-f]{64} in the SQLite ledger, [0-9a-f]{64} in PostgreSQL$/,
      ),
      expect.stringMatching(/^entry je:smm-panel:2026-03-02: its lines hash to /),
    ]);
    expect(move.proof.entries.targetDigest).not.toBe(move.proof.entries.sourceDigest);
    const { counts } = await rowCountsAndChainHead(url);
    // Only the identity row a fresh ledger holds.
    expect(Object.entries(counts).filter(([, rows]) => rows > 0)).toEqual([['ledger_identity', 1]]);
  });
});
