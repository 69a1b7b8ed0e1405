import type { z } from 'zod';
import { LedgerIntegrityError } from '../../../errors.js';
import { toStoredJson } from '../../../rules/index.js';
import { queryBuilder, type StoreHandle, type StoreTx } from '../../../store/index.js';

/**
 * What a source carries from one close to the next, each under its key in source_state: a staged kind's state
 * (a plug-in's, read through its own schema), a parked source's note, and what a kind's own books keep (the
 * panel's balance state, the batch form it accepted, the orders a backfill asked about again:
 * src/kinds/panel/books/). A closed set, so no caller invents a key another cannot read. It lives in the landing,
 * a source's cursor beside what was read, because the sync, the backfill and a kind's books may all import it.
 */
type SourceStateKey = 'balance' | 'batchMode' | 'repollRequested' | 'closeState' | 'parked';

/** A source's carried state under `key`, read back through `schema`, the reader's own (a kind's books read theirs through their kind's). */
export async function readSourceState<S extends z.ZodType>(
  store: StoreHandle,
  sourceId: string,
  key: SourceStateKey,
  schema: S,
): Promise<z.output<S> | undefined> {
  const row = await store.first(
    queryBuilder(store)
      .selectFrom('source_state')
      .select('value')
      .where('source_id', '=', sourceId)
      .where('key', '=', key),
  );
  return row === undefined ? undefined : storedState(sourceId, key, row.value, schema);
}

/** Several of a source's carried states in one read, each through its own schema; a key with none kept is undefined. */
export async function readSourceStates<Schemas extends Partial<Record<SourceStateKey, z.ZodType>>>(
  store: StoreHandle,
  sourceId: string,
  schemas: Schemas,
): Promise<{ [Key in keyof Schemas]: z.output<NonNullable<Schemas[Key]>> | undefined }> {
  const states: Partial<Record<SourceStateKey, unknown>> = {};
  const keys = Object.keys(schemas) as SourceStateKey[];
  if (keys.length === 0) return states as { [Key in keyof Schemas]: undefined };
  const rows = await store.all(
    queryBuilder(store)
      .selectFrom('source_state')
      .select(['key', 'value'])
      .where('source_id', '=', sourceId)
      .where('key', 'in', keys),
  );
  for (const row of rows) {
    const key = row.key as SourceStateKey;
    states[key] = storedState(sourceId, key, row.value, schemas[key] as z.ZodType);
  }
  return states as { [Key in keyof Schemas]: z.output<NonNullable<Schemas[Key]>> | undefined };
}

function storedState<S extends z.ZodType>(sourceId: string, key: string, value: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(JSON.parse(value));
  if (!parsed.success)
    throw new LedgerIntegrityError(`stored state ${key} of source ${sourceId} is unreadable: ${parsed.error.message}`);
  return parsed.data;
}

export async function writeSourceState(
  store: StoreTx,
  sourceId: string,
  key: SourceStateKey,
  value: unknown,
  now: Date,
): Promise<void> {
  const text = toStoredJson(value);
  await store.run(
    queryBuilder(store)
      .insertInto('source_state')
      .values({ source_id: sourceId, key, value: text, updated_at: now.toISOString() })
      .onConflict((conflict) =>
        conflict.columns(['source_id', 'key']).doUpdateSet({ value: text, updated_at: now.toISOString() }),
      ),
  );
}
