import { z } from 'zod';
import type { RecordedRun } from '../../ledger/index.js';
import type { RunRecords } from './books/run-records.js';
import { SCHEDULED_RUN_COMMAND } from './scheduled-days.js';

/** The commands whose run record holds what a sync booked: `sync`, a backfill, and the scheduler's nightly run. */
const SYNC_COMMANDS = ['sync', 'backfill', SCHEDULED_RUN_COMMAND] as const;

/**
 * The latest sync as `status` shows it: the run (its outcome null while it runs, or when it was killed before anyone
 * noticed; its error why the run as a whole failed, a source's own failure being on the source) and each source's money.
 */
export type LastSync = Omit<RecordedRun, 'id'> & {
  runId: string;
  /** Null for a run recorded before runs kept their money, or one that stopped before syncing. */
  sources: SourceMoneyView[] | null;
};

/**
 * One account's movement in a sync, debits − credits as decimal text: exact (`net`, the ledger's full precision) and
 * in cents (`netCents`), as Xero, QuickBooks and the exports receive it.
 */
const AmountsSchema = z.object({ account: z.string(), currency: z.string(), net: z.string(), netCents: z.string() });

/** A source of a run summary, as `sync` and the scheduler write it (`entries` is a list of ids in one, a count in the other). */
export const RecordedSourceSchema = z.object({
  sourceId: z.string(),
  outcome: z.string(),
  events: z.number(),
  entries: z.union([z.number(), z.array(z.string()).transform((ids) => ids.length)]),
  quarantined: z.number(),
  polled: z.number().optional(),
  error: z.string().optional(),
  booked: z.array(AmountsSchema),
  /** Each payout booked, its amount exact: the whole receivable paid out. */
  payouts: z.array(z.object({ date: z.string(), method: z.string(), currency: z.string(), amount: z.string() })),
  /** Each new finding that needs a person, as `reconcile` lists it (its id is what `reconcile ack` takes). */
  actionItems: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      date: z.string(),
      amount: z.string().nullable(),
      currency: z.string().nullable(),
      ref: z.string(),
      message: z.string(),
    }),
  ),
  /** New findings listed for the record only (a computed refund, a payout carried forward): `reconcile` shows them. */
  informationItems: z.number(),
});

/** One source of a recorded sync with its money, as `status` reads it back and the nightly output prints it. */
export type SourceMoneyView = z.output<typeof RecordedSourceSchema>;

const RecordedSyncSchema = z.object({ sources: z.array(RecordedSourceSchema) });

export async function lastSync(runs: RunRecords): Promise<LastSync | null> {
  const run = await runs.latestRunOf(SYNC_COMMANDS);
  if (run === undefined) return null;
  return {
    runId: run.id,
    command: run.command,
    asOf: run.asOf,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    outcome: run.outcome,
    error: run.error,
    sources: recordedSources(run.summary),
  };
}

function recordedSources(summary: unknown): SourceMoneyView[] | null {
  const recorded = RecordedSyncSchema.safeParse(summary);
  return recorded.success ? recorded.data.sources : null;
}
