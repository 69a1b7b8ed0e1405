import { z } from 'zod';
import type { AlertItem } from '../../alerts/alert.js';
import type { SealHead } from '../../ledger/index.js';
import { SCHEDULED_RUN_COMMAND, type RunRecords } from '../runs/index.js';

/** The newest entry of the ledger's hash chain (by append order) and its chain hash. */
export interface ChainHead {
  entryId: string;
  hash: string;
}

/** What the night reads of the ledger's chain: its head now, and the chain hash the ledger keeps at each of some entries; the seals' head now. */
export interface ChainHeadReads {
  head(): Promise<ChainHead | undefined>;
  chainHashes(entryIds: readonly string[]): Promise<Map<string, string>>;
  sealHead(): Promise<SealHead>;
}

/** The key of a night's run summary that keeps the chain head as the night left it (the witness the next nights check). */
export const CHAIN_HEAD_KEY = 'chainHead';
/** The key that keeps the messages of the recorded heads found missing, so a missing head is alerted once. */
export const CHAIN_HEADS_LOST_KEY = 'chainHeadsLost';
/** The key of a night's run summary that keeps the seals' head (row_seals) as the night left it. */
export const ROW_SEALS_HEAD_KEY = 'rowSealsHead';

const KEPT_CHAIN_HEAD = z.object({ [CHAIN_HEAD_KEY]: z.object({ entryId: z.string(), hash: z.string() }) });
const KEPT_HEADS_LOST = z.object({ [CHAIN_HEADS_LOST_KEY]: z.array(z.unknown()) });
const KEPT_SEAL_HEAD = z.object({
  [ROW_SEALS_HEAD_KEY]: z.object({
    position: z.number().int().nonnegative(),
    link: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});

/** How many nights back the recorded heads are checked. */
const RECENT_RUNS = 50;

/**
 * The chain's head tonight, and each head an earlier night recorded (in its run record and alerts, issue 52 item 4)
 * that the ledger no longer has: its entry gone, or holding another chain hash. `verify` proves only that what is left
 * chains; entries deleted from the end leave a whole, shorter chain, which only a witness kept before can show.
 * Example: the night of 04-02 recorded je:smm-panel:2026-04-02 at sha256:3c9a…; that entry deleted behind the
 * database's back → "the chain head the night of 2026-04-02 recorded (run …), entry je:smm-panel:2026-04-02 at
 * sha256:3c9a…, is no longer in the ledger: …".
 */
export async function chainHeadWitness(
  reads: ChainHeadReads,
  runs: Pick<RunRecords, 'recentRuns'>,
  runId: string,
): Promise<{ head: ChainHead | undefined; sealHead: SealHead; lost: AlertItem[]; alerted: readonly string[] }> {
  const recorded = (await runs.recentRuns(RECENT_RUNS)).filter(
    (run) => run.command === SCHEDULED_RUN_COMMAND && run.id !== runId,
  );
  const heads = recorded.flatMap((run) => {
    const head = keptHead(run.summary);
    return head === undefined ? [] : [{ runId: run.id, asOf: run.asOf, head }];
  });
  const kept =
    heads.length === 0
      ? new Map<string, string>()
      : await reads.chainHashes([...new Set(heads.map(({ head }) => head.entryId))]);
  const seen = new Set<string>();
  const lost = heads.flatMap(({ runId: night, asOf, head }) => {
    const now = kept.get(head.entryId);
    if (now === head.hash || seen.has(head.hash)) return [];
    seen.add(head.hash);
    const there = now === undefined ? 'is no longer in the ledger' : `now has sha256:${now} there`;
    return [
      {
        subject: 'ledger',
        kind: 'chain_head_lost',
        message:
          `the chain head the night of ${asOf ?? '?'} recorded (run ${night}), entry ${head.entryId} ` +
          `at sha256:${head.hash}, ${there}: entries were removed or rewritten behind the ledger's back`,
        nextStep:
          'stop the schedule, run `ledgerline verify` and `ledgerline reconcile --with` each destination, ' +
          'and restore the ledger from a backup holding that entry',
      },
    ];
  });
  const last = recorded.find((run) => keptHead(run.summary) !== undefined);
  return { head: await reads.head(), sealHead: await reads.sealHead(), lost, alerted: lostOf(last?.summary) };
}

/**
 * The seals' head the newest nights kept (one per position, the latest night's label), for the side tables' proof:
 * the seals must still give each. A certificate witnesses the rows sealed before its close; a night's record those
 * sealed after it. Example: the night of 2026-05-02 kept position 171 at link 9f2c…; an adjustment booked on 05-01
 * then deleted with its seals leaves the seals ending at 168 → seal_head_lost naming that night.
 */
export async function nightSealWitnesses(
  runs: Pick<RunRecords, 'recentRuns'>,
): Promise<{ label: string; head: SealHead }[]> {
  const byPosition = new Map<number, { label: string; head: SealHead }>();
  for (const run of await runs.recentRuns(RECENT_RUNS)) {
    const kept = run.command === SCHEDULED_RUN_COMMAND ? KEPT_SEAL_HEAD.safeParse(run.summary) : undefined;
    if (kept?.success !== true || byPosition.has(kept.data.rowSealsHead.position)) continue;
    byPosition.set(kept.data.rowSealsHead.position, {
      label: `the record of the night of ${run.asOf ?? '?'} (run ${run.id})`,
      head: kept.data.rowSealsHead,
    });
  }
  return [...byPosition.values()];
}

function keptHead(summary: unknown): ChainHead | undefined {
  return KEPT_CHAIN_HEAD.safeParse(summary).data?.[CHAIN_HEAD_KEY];
}

function lostOf(summary: unknown): readonly string[] {
  const kept = KEPT_HEADS_LOST.safeParse(summary).data?.[CHAIN_HEADS_LOST_KEY] ?? [];
  return kept.filter((message): message is string => typeof message === 'string');
}
