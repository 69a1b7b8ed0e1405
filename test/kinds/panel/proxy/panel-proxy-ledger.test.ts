import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { panelProxyLedger } from '../../../../src/kinds/panel/proxy/panel-proxy-ledger.js';
import { importSpoolRecords, proxySpool, readProxySpool } from '../../../../src/kinds/panel/proxy/proxy-spool.js';
import type { AddOutcome, AddRequest } from '../../../../src/kinds/panel/proxy/panel-proxy.js';
import { useTempDir } from '../../../support/temp-dir.js';
import { openBooks, type Books } from '../../../support/books.js';
import { sqliteOf } from '../../../support/sqlite-file.js';
import { proxyBooks } from '../../../../src/kinds/panel/books/proxy-books-store.js';
import type { ProxyBooks } from '../../../../src/kinds/panel/books/proxy-books.js';

const tempDir = useTempDir();

const placed = (orderId: number): AddOutcome => ({
  kind: 'answered',
  reply: {
    sourceId: 'smm-panel',
    action: 'add',
    request: { method: 'POST', path: '/api/v2', params: { action: 'add', service: '1', quantity: '1000' } },
    httpStatus: 200,
    bodyText: `{"order": ${orderId}}`,
    fetchedAt: '2026-03-13T20:55:00.800Z',
  },
  reading: { kind: 'placed', orderId: String(orderId) },
});

const request = (requestId: string): AddRequest => ({
  requestId,
  service: '1',
  quantity: 1000n,
  requestedAt: new Date('2026-03-13T20:55:00Z'),
  receivedAt: new Date('2026-03-13T20:55:00Z'),
});

function setUp(options: { lockWaitMs?: number } = {}): Promise<{ books: Books; path: string; spoolPath: string }> {
  const dir = tempDir();
  const path = join(dir, 'ledger.sqlite');
  return openBooks(path, options).then((books) => ({
    books,
    path,
    spoolPath: join(dir, 'smm-panel.proxy-spool.jsonl'),
  }));
}

/** The spool imported in one unit, as a panel's opening imports it (panel-opening.ts). */
async function importProxySpool(books: ProxyBooks, sourceId: string, path: string, now: Date) {
  const spool = await readProxySpool(path);
  return books.unit((tx) => importSpoolRecords(tx, sourceId, spool, now));
}

function heldRows(books: Books) {
  return {
    requests: sqliteOf(books).prepare('SELECT id, requested_at, kept_via FROM add_requests ORDER BY id').all(),
    outcomes: sqliteOf(books)
      .prepare(
        'SELECT request_id, outcome, order_id, raw_observation_id, kept_via FROM add_outcomes ORDER BY request_id',
      )
      .all(),
    orders: sqliteOf(books)
      .prepare('SELECT order_id, created_at, first_seen_date, discovered_via FROM orders ORDER BY order_id')
      .all(),
    raw: sqliteOf(books).prepare('SELECT id, as_of, body FROM raw_observations ORDER BY id').all(),
  };
}

describe('what the panel proxy writes to the ledger', () => {
  it('an order placed at 20:55 UTC on 03-13 is, in Asia/Kolkata, placed on 03-14: its request, its raw reply and an open order of the source', async () => {
    const { books, spoolPath } = await setUp();
    try {
      const ledger = panelProxyLedger(books.of(proxyBooks), {
        sourceId: 'smm-panel',
        timezone: 'Asia/Kolkata',
        now: () => new Date('2026-03-13T20:55:01Z'),
        spool: proxySpool(spoolPath),
      });
      expect(await ledger.keepAddRequest(request('r1'))).toEqual({ at: 'ledger' });
      expect(await ledger.keepAddOutcome(request('r1'), placed(23501))).toEqual({ at: 'ledger' });
      expect(
        sqliteOf(books)
          .prepare(
            "SELECT order_id, service, quantity, created_at, discovered_via, state FROM orders WHERE source_id = 'smm-panel' AND terminal = 0",
          )
          .all(),
      ).toEqual([
        {
          order_id: '23501',
          service: '1',
          quantity: 1000n,
          created_at: '2026-03-14T02:25:00.000+05:30',
          discovered_via: 'proxy',
          state: null,
        },
      ]);
      expect(heldRows(books)).toEqual({
        requests: [{ id: 'r1', requested_at: '2026-03-14T02:25:00.000+05:30', kept_via: 'ledger' }],
        outcomes: [
          { request_id: 'r1', outcome: 'placed', order_id: '23501', raw_observation_id: 1n, kept_via: 'ledger' },
        ],
        orders: [
          {
            order_id: '23501',
            created_at: '2026-03-14T02:25:00.000+05:30',
            first_seen_date: '2026-03-14',
            discovered_via: 'proxy',
          },
        ],
        raw: [{ id: 1n, as_of: '2026-03-14', body: '{"order": 23501}' }],
      });
    } finally {
      await books.close();
    }
  });
});

describe('the spool: what a locked ledger cannot take, the next sync imports once', () => {
  it('with another process holding the write lock, request and outcome go to the spool at once; the import books them, and a second import changes nothing', async () => {
    const { books, path, spoolPath } = await setUp({ lockWaitMs: 0 });
    const locker = new Database(path);
    try {
      const ledger = panelProxyLedger(books.of(proxyBooks), {
        sourceId: 'smm-panel',
        timezone: 'UTC',
        now: () => new Date('2026-03-13T20:55:01Z'),
        spool: proxySpool(spoolPath),
      });
      locker.exec('BEGIN IMMEDIATE');
      const kept = [await ledger.keepAddRequest(request('r1')), await ledger.keepAddOutcome(request('r1'), placed(7))];
      expect(kept).toEqual([
        { at: 'spool', path: spoolPath, ledgerError: expect.stringContaining(`the ledger ${path} is busy`) },
        { at: 'spool', path: spoolPath, ledgerError: `its request was kept in ${spoolPath}` },
      ]);
      // Once a request went to the spool, its outcome follows it there even when the ledger is free again.
      expect(await ledger.keepAddRequest(request('r2'))).toMatchObject({ at: 'spool' });
      locker.exec('ROLLBACK');
      expect(
        await ledger.keepAddOutcome(request('r2'), {
          kind: 'no-answer',
          mayHavePlaced: true,
          failure: 'socket hang up',
          at: new Date('2026-03-13T20:56:00Z'),
        }),
      ).toMatchObject({ at: 'spool' });
      expect(heldRows(books)).toEqual({ requests: [], outcomes: [], orders: [], raw: [] });
      expect(readFileSync(spoolPath, 'utf8')).not.toContain('key');

      // A record torn by a crash is alone on its line and skipped.
      appendFileSync(spoolPath, '{"record":"add_requ');
      expect(
        await importProxySpool(books.of(proxyBooks), 'smm-panel', spoolPath, new Date('2026-03-14T01:00:00Z')),
      ).toEqual({ requests: 2, outcomes: 2, orphanOutcomes: 0, unreadableLines: [9] });
      expect(heldRows(books)).toEqual({
        requests: [
          { id: 'r1', requested_at: '2026-03-13T20:55:00.000Z', kept_via: 'spool' },
          { id: 'r2', requested_at: '2026-03-13T20:55:00.000Z', kept_via: 'spool' },
        ],
        outcomes: [
          { request_id: 'r1', outcome: 'placed', order_id: '7', raw_observation_id: 1n, kept_via: 'spool' },
          { request_id: 'r2', outcome: 'unknown', order_id: null, raw_observation_id: null, kept_via: 'spool' },
        ],
        orders: [
          {
            order_id: '7',
            created_at: '2026-03-13T20:55:00.000Z',
            first_seen_date: '2026-03-13',
            discovered_via: 'proxy',
          },
        ],
        raw: [{ id: 1n, as_of: '2026-03-13', body: '{"order": 7}' }],
      });
      expect(
        await importProxySpool(books.of(proxyBooks), 'smm-panel', spoolPath, new Date('2026-03-15T01:00:00Z')),
      ).toEqual({ requests: 0, outcomes: 0, orphanOutcomes: 0, unreadableLines: [9] });
      expect(heldRows(books).raw).toHaveLength(1);
    } finally {
      if (locker.inTransaction) locker.exec('ROLLBACK');
      locker.close();
      await books.close();
    }
  });

  it("files that cannot take a write (a read-only remount, a full disk: where WAL's mapped -shm faults with SIGBUS) are not written: request and outcome go to the spool, with the reason", async () => {
    const { books, spoolPath } = await setUp();
    try {
      const refusal = '/books/ledger.sqlite-shm cannot be written (EROFS)';
      const ledger = panelProxyLedger(books.of(proxyBooks), {
        sourceId: 'smm-panel',
        timezone: 'UTC',
        now: () => new Date('2026-03-13T20:55:01Z'),
        spool: proxySpool(spoolPath),
        writeRefusal: () => refusal,
      });
      expect([
        await ledger.keepAddRequest(request('r1')),
        await ledger.keepAddOutcome(request('r1'), placed(7)),
      ]).toEqual([
        { at: 'spool', path: spoolPath, ledgerError: refusal },
        { at: 'spool', path: spoolPath, ledgerError: `its request was kept in ${spoolPath}` },
      ]);
      expect(heldRows(books)).toEqual({ requests: [], outcomes: [], orders: [], raw: [] });
      expect(
        await importProxySpool(books.of(proxyBooks), 'smm-panel', spoolPath, new Date('2026-03-14T01:00:00Z')),
      ).toMatchObject({ requests: 1, outcomes: 1 });
    } finally {
      await books.close();
    }
  });

  it('a request kept in the ledger whose outcome went to the spool is completed by the import; a missing spool imports nothing', async () => {
    const { books, path, spoolPath } = await setUp({ lockWaitMs: 0 });
    const locker = new Database(path);
    try {
      expect(await importProxySpool(books.of(proxyBooks), 'smm-panel', spoolPath, new Date())).toEqual({
        requests: 0,
        outcomes: 0,
        orphanOutcomes: 0,
        unreadableLines: [],
      });
      const ledger = panelProxyLedger(books.of(proxyBooks), {
        sourceId: 'smm-panel',
        timezone: 'UTC',
        now: () => new Date('2026-03-13T20:55:01Z'),
        spool: proxySpool(spoolPath),
      });
      expect(await ledger.keepAddRequest(request('r1'))).toEqual({ at: 'ledger' });
      locker.exec('BEGIN IMMEDIATE');
      expect(await ledger.keepAddOutcome(request('r1'), placed(8))).toEqual({
        at: 'spool',
        path: spoolPath,
        ledgerError: expect.stringContaining(`the ledger ${path} is busy`),
      });
      locker.exec('ROLLBACK');
      expect(await importProxySpool(books.of(proxyBooks), 'smm-panel', spoolPath, new Date())).toMatchObject({
        requests: 0,
        outcomes: 1,
      });
      expect(heldRows(books).orders).toEqual([
        {
          order_id: '8',
          created_at: '2026-03-13T20:55:00.000Z',
          first_seen_date: '2026-03-13',
          discovered_via: 'proxy',
        },
      ]);
    } finally {
      locker.close();
      await books.close();
    }
  });
});
