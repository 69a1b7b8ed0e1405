import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerStorageError } from '../../src/errors.js';
import { LedgerStore } from '../../src/store/index.js';
import { insertWebhookOnce } from '../../src/pipeline/landing/books/webhook-inbox-rows.js';
import { landRawReply } from '../../src/pipeline/landing/books/landing-rows.js';
import { type SqliteLedgerStore } from '../../src/store/sqlite-ledger-store.js';

/**
 * A write the store reports as stored is stored. The ledger lives on a 2 MiB
 * tmpfs of its own; a filler file takes the rest of it, so the commit of the
 * next write fails with SQLITE_FULL. Through better-sqlite3's get(), an INSERT
 * … RETURNING whose commit failed still handed back an id (the same one each
 * time, later another row's); now each refused write throws, and every id
 * handed back names the row written.
 */
const MOUNT_SIZE = '2m';
const BODY = 'r'.repeat(40_000);

function mountTmpfs(): { dir: string } | { reason: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${MOUNT_SIZE}`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    rmdirSync(dir);
    return {
      reason: `cannot mount a tmpfs (${(error as Error).message.split('\n')[0]}): the full-disk test needs root`,
    };
  }
}

const mounted = mountTmpfs();
if ('reason' in mounted) console.warn(`skipped: ${mounted.reason}`);

describe.skipIf('reason' in mounted)(
  'a full disk: the landing and the webhook inbox refuse cleanly and never reuse an id',
  () => {
    const dir = 'dir' in mounted ? mounted.dir : '';
    const filler = join(dir, 'filler');
    let store: SqliteLedgerStore;

    beforeAll(async () => {
      store = await LedgerStore.open(join(dir, 'ledger.sqlite'));
    });

    afterAll(async () => {
      await store?.close();
      execFileSync('umount', [dir]);
      rmdirSync(dir);
    });

    /** Fills what is left of the tmpfs but `spareBytes`. */
    function fillDisk(spareBytes: number): void {
      const free = Number(execFileSync('df', ['--output=avail', '-B1', dir]).toString().trim().split('\n').at(-1));
      writeFileSync(filler, Buffer.alloc(Math.max(free - spareBytes, 0)));
    }

    const reply = (n: number) => ({
      sourceId: 'smm-panel',
      action: 'add',
      request: '{}',
      asOf: '2026-03-02',
      fetchedAt: '2026-03-02T10:00:00.000Z',
      httpStatus: 200,
      body: `${n}:${BODY}`,
      contentHash: String(n),
      runId: null,
    });
    const webhook = (n: number) => ({
      sourceId: 'smm-panel',
      kind: 'panel',
      dedupeKey: `delivery-${n}`,
      receivedAt: '2026-03-02T10:00:00.000Z',
      body: `${n}:${BODY}`,
      status: 'stored' as const,
      note: null,
    });

    /** Writes until `times` writes in a row were refused; returns the ids handed back and the refusals. */
    async function writeUntilRefused(
      write: (n: number) => Promise<bigint>,
      first: number,
      times: number,
    ): Promise<{ ids: Map<bigint, number>; refusals: unknown[] }> {
      const ids = new Map<bigint, number>();
      const refusals: unknown[] = [];
      for (let n = first; n < first + 200 && refusals.length < times; n += 1) {
        let id: bigint;
        try {
          id = await write(n);
        } catch (error) {
          refusals.push(error);
          continue;
        }
        expect(ids.has(id), `id ${id} handed back twice`).toBe(false);
        ids.set(id, n);
      }
      return { ids, refusals };
    }

    it('lands raw replies until the disk is full, then refuses each write with a clear error; the ids handed back are the rows stored', async () => {
      fillDisk(400_000);
      const { ids, refusals } = await writeUntilRefused((n) => landRawReply(store, reply(n)), 0, 3);
      expect(refusals).toHaveLength(3);
      for (const refusal of refusals) {
        expect(refusal).toBeInstanceOf(LedgerStorageError);
        expect((refusal as Error).message).toBe(
          `the disk holding ${join(dir, 'ledger.sqlite')} is full; the write in progress was rolled back and nothing half-written was kept: free space and run again`,
        );
      }
      const stored = store.sqlite.prepare('SELECT id, body FROM raw_observations ORDER BY id').all() as {
        id: bigint;
        body: string;
      }[];
      expect(stored.map((row) => [row.id, row.body.split(':')[0]])).toEqual([...ids].map(([id, n]) => [id, String(n)]));

      rmSync(filler);
      const after = await landRawReply(store, reply(1000));
      expect(ids.has(after)).toBe(false);
      expect(after > Math.max(...[...ids.keys()].map(Number))).toBe(true);
      expect(
        (
          store.sqlite.prepare('SELECT body FROM raw_observations WHERE id = ?').get(after) as { body: string }
        ).body.startsWith('1000:'),
      ).toBe(true);
    });

    it('stores webhook deliveries until the disk is full, then refuses each with a clear error; a delivery refused is stored once it is resent', async () => {
      fillDisk(400_000);
      const { ids, refusals } = await writeUntilRefused(
        async (n) => (await insertWebhookOnce(store, webhook(n))).id,
        0,
        3,
      );
      expect(refusals).toHaveLength(3);
      for (const refusal of refusals) expect(refusal).toBeInstanceOf(LedgerStorageError);
      const stored = store.sqlite.prepare('SELECT id, dedupe_key FROM webhook_inbox ORDER BY id').all() as {
        id: bigint;
        dedupe_key: string;
      }[];
      expect(stored.map((row) => [row.id, row.dedupe_key])).toEqual([...ids].map(([id, n]) => [id, `delivery-${n}`]));

      rmSync(filler);
      const refusedFirst = ids.size;
      const resent = await insertWebhookOnce(store, webhook(refusedFirst));
      expect(resent.duplicate).toBe(false);
      expect(ids.has(resent.id)).toBe(false);
      expect(
        (
          store.sqlite.prepare('SELECT dedupe_key FROM webhook_inbox WHERE id = ?').get(resent.id) as {
            dedupe_key: string;
          }
        ).dedupe_key,
      ).toBe(`delivery-${refusedFirst}`);
    });
  },
);
