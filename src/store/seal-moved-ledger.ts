import { describePostgresUrl } from '../config/index.js';
import { refuseWritesOnceSealed } from './sealed-ledger.js';
import { sealLedger } from './ledger-identity.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';

/**
 * Seals the SQLite ledger at `from` once its copy in `to` is committed: every writing command then refuses
 * the file, naming `to` without its password, so an old cron on it cannot deliver the same journals again.
 */
export async function sealMovedLedger(from: string, to: string, movedAt: string): Promise<string> {
  const movedTo = `postgres://${describePostgresUrl(to)}`;
  const store = await SqliteLedgerStore.open(from);
  try {
    await store.unitOfWork(async (tx) => {
      await sealLedger(tx, movedTo, movedAt);
      await refuseWritesOnceSealed(tx, movedTo, movedAt);
    });
  } finally {
    await store.close();
  }
  return movedTo;
}
