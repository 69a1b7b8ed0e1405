import type { ClosedPeriod, FiledReturn } from '../../ledger/index.js';
import { printable } from '../../log/index.js';
import type { LedgerReads } from '../../reads/index.js';
import type { WitnessRecord } from './witness-log.js';

/** A witnessed head or certificate the ledger no longer gives. */
export interface WitnessFinding {
  kind:
    | 'ledger_older_than_witnessed'
    | 'witnessed_head_rewritten'
    | 'witnessed_certificate_differs'
    | 'witnessed_filing_missing';
  message: string;
}

type HeadRecord = Extract<WitnessRecord, { kind: 'head' | 'restore' }>;

/**
 * The records that still bind the ledger: those from the last restore on (a restore is a decision, said once:
 * the heads witnessed before it were given up then, with its reason).
 */
export function bindingRecords(records: readonly WitnessRecord[]): WitnessRecord[] {
  const lastRestore = records.findLastIndex((record) => record.kind === 'restore');
  return lastRestore < 0 ? [...records] : records.slice(lastRestore);
}

/**
 * Each witnessed head the ledger's chain does not contain, and each witnessed certificate hash its close no longer
 * records. A chain that ends before the newest missing head was put back from an older copy, or lost its newest
 * entries; one that is as long but holds another hash there was rewritten. Example: heads witnessed at positions
 * 95, 97 and 99; the ledger ends at 97 → "the books are older than what was witnessed on 2026-03-12 at position 99
 * (entry je:adjustment:2026-03-12:1, sha256:3c9a…): the ledger ends at position 97 …".
 */
export async function witnessFindings(
  records: readonly WitnessRecord[],
  reads: Pick<LedgerReads, 'chainHashes' | 'chainPosition'>,
  closed: readonly Pick<ClosedPeriod, 'period' | 'certificateSha256'>[],
  filed: readonly Pick<FiledReturn, 'period' | 'returnSha256'>[] = [],
): Promise<WitnessFinding[]> {
  const binding = bindingRecords(records);
  const heads = binding.filter(
    (record): record is HeadRecord => (record.kind === 'head' || record.kind === 'restore') && record.position > 0,
  );
  const kept =
    heads.length === 0 ? new Map<string, string>() : await reads.chainHashes(heads.map((head) => head.entryId));
  const missing = heads.filter((head) => kept.get(head.entryId) !== head.hash);
  const findings: WitnessFinding[] = [];
  const newest = missing.reduce<HeadRecord | undefined>(
    (best, head) => (best === undefined || head.position >= best.position ? head : best),
    undefined,
  );
  if (newest !== undefined) findings.push(headFinding(newest, kept.get(newest.entryId), await reads.chainPosition()));
  const certified = new Map(closed.map((period) => [period.period, period.certificateSha256]));
  for (const record of binding) {
    if (record.kind !== 'certificate' || certified.get(record.period) === record.sha256) continue;
    const now = certified.get(record.period);
    findings.push({
      kind: 'witnessed_certificate_differs',
      message:
        `the certificate of ${printable(record.period)} was witnessed on ${printable(record.date)} as sha256:${record.sha256}, ` +
        `${now === undefined ? 'but the ledger records no close of it' : `but the ledger's close now records sha256:${now}`}: ` +
        'the close and its certificate were rewritten, or the books put back from before the close',
    });
  }
  findings.push(...filingFindings(binding, filed));
  return findings;
}

/**
 * Each witnessed filing the ledger no longer records with the same return: `vat file` moves no chain head, so its
 * row and seal deleted together leave a chain and seals that verify, and the period open to bookings; the witness
 * still holds it. Example: 2026-03 witnessed filed as sha256:9f2c…, its row gone → "the return of 2026-03 was
 * witnessed filed on 2026-04-02 …, but the ledger records no filing of it …".
 */
function filingFindings(
  binding: readonly WitnessRecord[],
  filed: readonly Pick<FiledReturn, 'period' | 'returnSha256'>[],
): WitnessFinding[] {
  const recorded = new Map(filed.map((filing) => [filing.period, filing.returnSha256]));
  return binding.flatMap((record) => {
    if (record.kind !== 'filing' || recorded.get(record.period) === record.sha256) return [];
    const now = recorded.get(record.period);
    return [
      {
        kind: 'witnessed_filing_missing' as const,
        message:
          `the return of ${printable(record.period)} was witnessed filed on ${printable(record.date)} ` +
          `(return sha256:${record.sha256}, seals' head at position ${record.sealsHead.position}), ` +
          `${now === undefined ? 'but the ledger records no filing of it' : `but the ledger's filing now records sha256:${now}`}: ` +
          'the filing was deleted or rewritten behind the ledger, or the books put back from before it; the period ' +
          'stays locked (nothing is booked) until a ledger that holds the filing is put back',
      },
    ];
  });
}

function headFinding(
  head: HeadRecord,
  now: string | undefined,
  end: Awaited<ReturnType<LedgerReads['chainPosition']>>,
): WitnessFinding {
  const run = head.runId === undefined ? '' : ` run ${printable(head.runId)}`;
  const witnessed =
    `on ${printable(head.date)} at position ${head.position} (entry ${printable(head.entryId)}, ` +
    `sha256:${head.hash}, ${printable(head.command)}${run})`;
  const ends = end === undefined ? 'the ledger holds no entry' : `the ledger ends at position ${end.position}`;
  if (now === undefined && (end?.position ?? 0) <= head.position)
    return {
      kind: 'ledger_older_than_witnessed',
      message:
        `the books are older than what was witnessed ${witnessed}: ${ends}: restored from a copy, or entries ` +
        'removed. Put the newer ledger back, or record the restore with `ledgerline restore --from FILE --reason "…"`',
    };
  return {
    kind: 'witnessed_head_rewritten',
    message:
      `the chain does not contain the head witnessed ${witnessed}: ` +
      `${now === undefined ? 'that entry is gone' : `that entry now has sha256:${now}`} and ${ends}: ` +
      'the ledger was rewritten (its hashes recomputed). Put back a ledger that holds that head',
  };
}
