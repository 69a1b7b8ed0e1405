import type { ClosedPeriod, FiledReturn, SealHead } from '../../ledger/index.js';
import type { LedgerReads } from '../../reads/index.js';
import type { WitnessRecord } from './witness-log.js';

/** Who witnesses: the command, its run when recorded, and when. */
export interface WitnessedBy {
  command: string;
  runId?: string | undefined;
  now: Date;
}

/** The filed returns and the seals' head, which a filing is witnessed with (`vat file` moves no chain head). */
export interface FilingsNow {
  filed: readonly Pick<FiledReturn, 'period' | 'returnSha256'>[];
  sealsHead: SealHead;
}

/**
 * What to add to the witness after a run: the chain's head when it moved since the last head witnessed, the
 * certificate of each closed period and each filed return not witnessed yet. Example: the last head witnessed is at
 * position 96, the night booked one entry → a head record at position 97; nothing moved → nothing; `vat file
 * --period 2026-03` → a filing record of 2026-03 with the return's SHA-256 and the seals' head (position 212).
 */
export async function recordsToWitness(
  records: readonly WitnessRecord[],
  reads: Pick<LedgerReads, 'chainPosition'>,
  closed: readonly Pick<ClosedPeriod, 'period' | 'certificateSha256'>[],
  by: WitnessedBy,
  filings: FilingsNow,
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
  const filed = new Set(
    records.flatMap((record) => (record.kind === 'filing' ? [`${record.period} ${record.sha256}`] : [])),
  );
  for (const filing of filings.filed)
    if (!filed.has(`${filing.period} ${filing.returnSha256}`))
      added.push({
        kind: 'filing',
        ...when,
        period: filing.period,
        sha256: filing.returnSha256,
        sealsHead: filings.sealsHead,
      });
  return added;
}
