import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proveSideTables, sideTableBooks } from '../../src/pipeline/operations/index.js';
import { LedgerStore } from '../../src/store/index.js';
import { recordAcknowledgement } from '../../src/pipeline/transit/books/acknowledgement-rows.js';
import { queryBuilder } from '../../src/store/query-builder.js';
import { ledgerBeforeMigration } from '../support/ledger-before-migration.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-row-seals-');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('migration 0027 (row seals) on a ledger kept before it', () => {
  it('seals each kept row, table by table in key order, as the canonical text gives; verify then names nothing, and the next row written continues the seals', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await ledgerBeforeMigration(path, '0027-row-seals', (sqlite) => {
      sqlite
        .prepare(
          "INSERT INTO raw_observations (source_id, action, request, as_of, fetched_at, http_status, body, content_hash) VALUES ('smm-panel', 'balance', '{}', '2026-03-02', 't', 200, ?, ?)",
        )
        .run('{"balance":"1.00"}', sha256('{"balance":"1.00"}'));
      sqlite
        .prepare(
          "INSERT INTO acknowledgements (item_id, action, note, os_user, at) VALUES ('f1', 'ack', NULL, 'maria', '2026-04-01T09:00:00.000Z')",
        )
        .run();
    });
    // By hand, from the form in src/ledger/row-seals.ts: the reply first, then the acknowledgement.
    const replyDigest = sha256(
      `ledgerline-row/1\nraw_observations\n["1"]\n["smm-panel","balance","{}","2026-03-02","t","200","${sha256('{"balance":"1.00"}')}",null]`,
    );
    const ackDigest = sha256(
      'ledgerline-row/1\nacknowledgements\n["1"]\n["f1","ack",null,"maria","2026-04-01T09:00:00.000Z"]',
    );
    const firstLink = sha256(`${'0'.repeat(64)}\n${replyDigest}`);
    const secondLink = sha256(`${firstLink}\n${ackDigest}`);

    const store = await LedgerStore.open(path);
    try {
      const seals = await store.all(
        queryBuilder(store)
          .withTables<{
            row_seals: { position: bigint; table_name: string; row_key: string; digest: string; link: string };
          }>()
          .selectFrom('row_seals')
          .selectAll()
          .orderBy('position'),
      );
      expect(
        seals.map((seal) => [Number(seal.position), seal.table_name, seal.row_key, seal.digest, seal.link]),
      ).toEqual([
        [1, 'raw_observations', '["1"]', replyDigest, firstLink],
        [2, 'acknowledgements', '["1"]', ackDigest, secondLink],
      ]);
      await recordAcknowledgement(store, 'f2', {
        action: 'ack',
        note: 'top-up 4471',
        user: 'li',
        at: '2026-04-02T09:00:00.000Z',
      });
      const proof = await proveSideTables(sideTableBooks(store), {
        witnesses: [{ label: 'a close', head: { position: 2, link: secondLink } }],
      });
      expect(proof.findings).toEqual([]);
      expect(proof.head.position).toBe(3);
      expect(() => store.sqlite.prepare("UPDATE row_seals SET digest = 'x'").run()).toThrowError(
        /row seals are append-only: UPDATE refused/,
      );
    } finally {
      await store.close();
    }
  });
});
