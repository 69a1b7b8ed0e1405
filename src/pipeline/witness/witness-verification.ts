import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClosedPeriod } from '../../ledger/index.js';
import type { WitnessBooks } from './ledger-witness.js';
import { runRecords } from '../runs/index.js';
import { chainHeadWitness } from './chain-head-witness.js';
import { certifiedBalanceChanges } from './certified-balances.js';
import { checkWitness } from './ledger-witness.js';
import type { WitnessPlace, WitnessRecord } from './witness-log.js';
import type { UrlWitnessRead } from './url-witness.js';
import { sideTableBooks } from '../operations/index.js';
import { ledgerReads } from '../../reads/index.js';

/** What `verify` found against the witnesses: each finding, each witness it read, and each it could not. */
export interface WitnessVerification {
  findings: string[];
  read: string[];
  unread: string[];
}

/**
 * The ledger held against every witness `verify` can reach (issue 73): the witness file (heads, certificates,
 * restores), the heads the nights recorded in their run records, and each closed period's certificate's trial
 * balance against the chain's entries through its end (`netsThrough`, by period end), and the URL witness when
 * configured: one that cannot be read is a finding (exit 1), since it alone outlives a rollback of the machine. The
 * destinations' journals witness too, but only `reconcile --with` reads them: said among the unread.
 */
export async function verifyWitnesses(
  place: WitnessPlace,
  books: WitnessBooks,
  closes: {
    closed: readonly ClosedPeriod[];
    certificateFolder: string;
    netsThrough: ReadonlyMap<string, ReadonlyMap<string, bigint>>;
  },
): Promise<WitnessVerification> {
  const { read, url, findings } = await checkWitness(place, books);
  const nights = await chainHeadWitness(
    {
      head: () => books.of(ledgerReads).chainHead(),
      chainHashes: (entryIds) => books.of(ledgerReads).chainHashes(entryIds),
      sealHead: () => books.of(sideTableBooks).sealHead(),
    },
    books.of(runRecords),
    '',
  );
  const balances = closes.closed.flatMap((period) => {
    const file = join(closes.certificateFolder, `${period.period}.json`);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    return certifiedBalanceChanges(period, { file, text }, closes.netsThrough.get(period.periodEnd));
  });
  return {
    findings: [
      ...findings.map((finding) => `${finding.kind}: ${finding.message}`),
      ...nights.lost.map((item) => `${item.kind}: ${item.message}`),
      ...balances.map((message) => `certified_balance_differs: ${message}`),
      ...(url?.unread === undefined
        ? []
        : [
            `url_witness_unread: ${url.label} could not be read (${url.unread}): the books are not proved against ` +
              'the one witness this machine does not hold (a rollback of the ledger and its witness file together ' +
              'passes every other check); run verify again when it answers',
          ]),
    ],
    read: [
      ...(read.unread === undefined ? [`the witness ${read.file} (${recordCounts(read.records)})`] : []),
      ...(url === undefined || url.unread !== undefined ? [] : [urlRead(url)]),
      "the heads the nights kept in the ledger's run records",
      ...(closes.closed.length === 0 ? [] : [`the trial balances of ${closes.closed.length} certificates`]),
    ],
    unread: [
      ...(read.unread === undefined ? [] : [`the witness file: ${read.unread}`]),
      ...(url?.unread === undefined ? [] : [`${url.label}: ${url.unread}`]),
      "the destinations' journals (each names its entry's chain hash): `ledgerline reconcile --with DESTINATION` reads them",
    ],
  };
}

/** What was read at the URL witness, and how many of the file's records it lacks (sent by the next run that writes). */
function urlRead(url: UrlWitnessRead & { behind: number }): string {
  const behind =
    url.behind === 0 ? '' : `; it lacks ${url.behind} records of the file, which the next run that writes sends it`;
  return `${url.label} (${recordCounts(url.records)}${behind})`;
}

/** What a witness holds, by kind: '12 heads, 1 certificates' (a restore counts as the head it witnessed), then its filings if any. */
function recordCounts(records: readonly WitnessRecord[]): string {
  const certificates = records.filter((record) => record.kind === 'certificate').length;
  const filings = records.filter((record) => record.kind === 'filing').length;
  const heads = records.length - certificates - filings;
  return `${heads} heads, ${certificates} certificates${filings === 0 ? '' : `, ${filings} filings`}`;
}
