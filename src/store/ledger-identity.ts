import { LedgerIntegrityError } from '../errors.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import type { LedgerDatabase } from './schema.js';
import { plainQuery } from './plain-query.js';
import { queryBuilder } from './query-builder.js';

/** Which ledger this is, and, once `migrate --to` copied it, where it went. */
interface LedgerIdentity {
  id: string;
  createdAt: string;
  /** The PostgreSQL database the ledger was moved to (no password), when this copy is sealed. */
  seal: { movedTo: string; movedAt: string } | undefined;
}

type IdentityRow = Pick<LedgerDatabase['ledger_identity'], 'id' | 'created_at' | 'moved_to' | 'moved_at'>;

/** The identity every migrated ledger holds (migration 0009 gives one to a ledger created before it). */
export async function readLedgerIdentity(store: LedgerStore): Promise<LedgerIdentity> {
  const row = await store.first(
    plainQuery<IdentityRow>('SELECT id, created_at, moved_to, moved_at FROM ledger_identity'),
  );
  if (row === undefined)
    throw new LedgerIntegrityError(`the ledger ${store.path} has no identity row although it is migrated`);
  return {
    id: row.id,
    createdAt: row.created_at,
    seal: row.moved_to === null ? undefined : { movedTo: row.moved_to, movedAt: row.moved_at ?? '' },
  };
}

/** Gives a copied ledger the identity of the one it was copied from: it is the same ledger, moved. */
export async function adoptLedgerIdentity(
  store: LedgerTx,
  identity: Pick<LedgerIdentity, 'id' | 'createdAt'>,
): Promise<void> {
  await store.run(
    queryBuilder(store).updateTable('ledger_identity').set({ id: identity.id, created_at: identity.createdAt }),
  );
}

/** Seals the ledger: from now on every writing command refuses it, naming `movedTo`. A seal is never lifted (a trigger keeps it). */
export async function sealLedger(store: LedgerTx, movedTo: string, movedAt: string): Promise<void> {
  await store.run(queryBuilder(store).updateTable('ledger_identity').set({ moved_to: movedTo, moved_at: movedAt }));
}
