import type { ClosedPeriod } from '../../ledger/index.js';
import type { LedgerReads } from '../../reads/index.js';
import type { WitnessRecord } from './witness-log.js';

/** Who witnesses: the command, its run when recorded, and when. */
export interface WitnessedBy {
  command: string;
  runId?: string | undefined;
  now: Date;
}

/**
 * What to add to the witness after a run: the chain's head when it moved since the last head witnessed, and the
 * certificate of each closed period not witnessed yet. Example: the last head witnessed is at position 96, the
 * night booked one entry → a head record at position 97; nothing moved → nothing.
 */
export async function recordsToWitness(
  records: readonly WitnessRecord[],
  reads: Pick<LedgerReads, 'chainPosition'>,
  closed: readonly Pick<ClosedPeriod, 'period' | 'certificateSha256'>[],
  by: WitnessedBy,
): Promise<WitnessRecord[]> {
  const when = {
    at: by.now.toISOString(),
    date: by.now.toISOString().slice(0, 10),
    command: by.command,
    ...(by.runId === undefined ? {} : { runId: by.runId }),
  };
  const head = await reads.chainPosition();
  const last = records.findLast((record) => record.kind === 'head' || record.kind === 'restore');
  const added: WitnessRecord[] = [];
  if (head !== undefined && (last === undefined || !('hash' in last) || last.hash !== head.hash))
    added.push({ kind: 'head', ...when, position: head.position, entryId: head.entryId, hash: head.hash });
  const witnessed = new Set(
    records.flatMap((record) => (record.kind === 'certificate' ? [`${record.period} ${record.sha256}`] : [])),
  );
  for (const period of closed)
    if (!witnessed.has(`${period.period} ${period.certificateSha256}`))
      added.push({ kind: 'certificate', ...when, period: period.period, sha256: period.certificateSha256 });
  return added;
}
