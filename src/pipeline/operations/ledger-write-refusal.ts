import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { isPostgresUrl } from '../../config/index.js';

/** Below this much free space a SQLite write may need a page it cannot get: 1 MiB, 256 pages of 4 KiB. */
const LEAST_FREE_BYTES = 1024 * 1024;

/**
 * Why a SQLite ledger's files cannot safely take a write now, or undefined. A write SQLite makes through WAL's
 * memory-mapped `-shm` into a file that became unwritable under it (a read-only remount, a full disk) faults
 * with SIGBUS and takes the whole process down, which no try/catch can stop; checked before each of the
 * proxy's writes (an access and a statfs: microseconds), the write goes to the spool instead, and is logged.
 */
export function ledgerWriteRefusal(ledger: string): () => string | undefined {
  if (isPostgresUrl(ledger)) return () => undefined;
  return () => {
    for (const file of [ledger, `${ledger}-wal`, `${ledger}-shm`]) {
      try {
        accessSync(file, constants.W_OK);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        if (code !== 'ENOENT') return `${file} cannot be written (${code})`;
      }
    }
    try {
      const disk = statfsSync(dirname(ledger));
      const free = Number(disk.bavail) * Number(disk.bsize);
      return free < LEAST_FREE_BYTES ? `the disk holding ${ledger} is full (${free} bytes free)` : undefined;
    } catch (error) {
      return `the disk holding ${ledger} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    }
  };
}
