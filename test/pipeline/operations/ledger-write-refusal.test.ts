import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerWriteRefusal } from '../../../src/pipeline/operations/index.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-write-refusal-');

describe("whether a SQLite ledger can safely take the proxy's next write", () => {
  it('a writable ledger on a disk with room can; one whose folder is gone cannot, and says why; a PostgreSQL ledger is not checked', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ledger.sqlite'), '');
    expect(ledgerWriteRefusal(join(dir, 'ledger.sqlite'))()).toBeUndefined();
    expect(ledgerWriteRefusal(join(dir, 'gone', 'ledger.sqlite'))()).toBe(
      `the disk holding ${join(dir, 'gone', 'ledger.sqlite')} cannot be read (ENOENT)`,
    );
    expect(ledgerWriteRefusal('postgres://books@127.0.0.1:5432/ledger')()).toBeUndefined();
  });

  // root may write any file whatever its mode: only another user sees the mode refuse.
  it.skipIf(process.getuid?.() === 0)('a -shm file made read-only under the proxy is named', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ledger.sqlite'), '');
    writeFileSync(join(dir, 'ledger.sqlite-shm'), '');
    chmodSync(join(dir, 'ledger.sqlite-shm'), 0o444);
    expect(ledgerWriteRefusal(join(dir, 'ledger.sqlite'))()).toBe(
      `${join(dir, 'ledger.sqlite-shm')} cannot be written (EACCES)`,
    );
  });
});
