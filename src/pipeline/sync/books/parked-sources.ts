import { z } from 'zod';
import { LedgerIntegrityError } from '../../../errors.js';
import { queryBuilder, type StoreHandle } from '../../../store/index.js';
import { writeSourceState } from '../../landing/index.js';

/** A source the queue gave up on: its close of `day` failed in every try, for `reason`. */
export interface ParkedSource {
  sourceId: string;
  reason: string;
  day: string;
  parkedAt: string;
}

/**
 * The parked sources. The dead-letter queue's worker parks a source whose close failed in every try; `sync --queue`
 * then leaves it out, reporting it as failed with its reason, until a close of it books again (a manual
 * `sync --source ID`, which unparks it).
 */
export interface ParkedSources {
  park(sourceId: string, parked: { reason: string; day: string }, now: Date): Promise<void>;
  unpark(sourceIds: readonly string[]): Promise<void>;
  parked(): Promise<ParkedSource[]>;
}

/** A parked source's note under the `parked` key of source_state: why, for which night, and when it was parked. */
const ParkedNoteSchema = z.lazy(() => z.object({ reason: z.string(), day: z.string(), parkedAt: z.string() }));

/** The parked sources over the store's handle (`books.of(parkedSources)`): each verb a unit of its own. */
export const parkedSources = (store: StoreHandle): ParkedSources => ({
  park: (sourceId, parked, now) =>
    store.unitOfWork((tx) => writeSourceState(tx, sourceId, 'parked', { ...parked, parkedAt: now.toISOString() }, now)),
  unpark: (sourceIds) =>
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
  async parked() {
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
});
