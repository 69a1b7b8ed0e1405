import { z } from 'zod';
import { LedgerIntegrityError } from '../errors.js';
import type { ParkedSources } from '../pipeline/sync/parked-sources.js';
import type { LedgerStore } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';
import { writeSourceState } from './source-state.js';

/** A parked source's note under the `parked` key of source_state: why, for which night, and when it was parked. */
const ParkedNoteSchema = z.lazy(() => z.object({ reason: z.string(), day: z.string(), parkedAt: z.string() }));

/**
 * The parked sources (pipeline/sync, ParkedSources): a source whose queued close failed in every try is parked
 * with its reason, and the queued nights leave it out until a close of it books again.
 */
export const parkedSourcesOver = (store: LedgerStore) =>
  ({
    park: (sourceId: string, parked: { reason: string; day: string }, now: Date) =>
      store.unitOfWork((tx) =>
        writeSourceState(tx, sourceId, 'parked', { ...parked, parkedAt: now.toISOString() }, now),
      ),
    unpark: (sourceIds: readonly string[]) =>
      sourceIds.length === 0
        ? Promise.resolve()
        : store.unitOfWork(async (tx) => {
            await tx.run(
              queryBuilder(tx)
                .deleteFrom('source_state')
                .where('key', '=', 'parked')
                .where('source_id', 'in', [...sourceIds]),
            );
          }),
    async parked(): Promise<{ sourceId: string; reason: string; day: string; parkedAt: string }[]> {
      const rows = await store.all(
        queryBuilder(store)
          .selectFrom('source_state')
          .select(['source_id', 'value'])
          .where('key', '=', 'parked')
          .orderBy('source_id'),
      );
      return rows.map((row) => {
        const note = ParkedNoteSchema.safeParse(JSON.parse(row.value));
        if (!note.success)
          throw new LedgerIntegrityError(
            `the parked note of source ${row.source_id} is unreadable: ${note.error.message}`,
          );
        return { sourceId: row.source_id, ...note.data };
      });
    },
  }) satisfies ParkedSources;
