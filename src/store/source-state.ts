import type { z } from 'zod';
import { LedgerIntegrityError } from '../errors.js';
import type { LedgerStore } from './ledger-store.js';
import { toStoredJson } from '../rules/index.js';
import { queryBuilder } from './query-builder.js';

/** A source's carried state (counter, balance, batch form…), read back through its schema. */
export async function readSourceState<S extends z.ZodType>(store: LedgerStore, sourceId: string, key: string, schema: S): Promise<z.output<S> | undefined> {
  const row = await store.first(queryBuilder(store).selectFrom('source_state').select('value').where('source_id', '=', sourceId).where('key', '=', key));
  if (!row) return undefined;
  const parsed = schema.safeParse(JSON.parse(row.value));
  if (!parsed.success) throw new LedgerIntegrityError(`stored state ${key} of source ${sourceId} is unreadable: ${parsed.error.message}`);
  return parsed.data;
}

export async function writeSourceState(store: LedgerStore, sourceId: string, key: string, value: unknown, now: Date): Promise<void> {
  const text = toStoredJson(value);
  await store.run(
    queryBuilder(store)
      .insertInto('source_state')
      .values({ source_id: sourceId, key, value: text, updated_at: now.toISOString() })
      .onConflict((conflict) => conflict.columns(['source_id', 'key']).doUpdateSet({ value: text, updated_at: now.toISOString() })),
  );
}
