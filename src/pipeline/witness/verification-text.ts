import type { closeRecordChanges, SideTablesProof, verifyChain } from '../operations/index.js';
import type { WitnessVerification } from './witness-verification.js';

type Verification = Awaited<ReturnType<typeof verifyChain>>;

/** What `verify` found: the chain, the closes' records, the side tables' seals and the witnesses. */
interface VerifiedLedger {
  chain: Verification;
  closes: Awaited<ReturnType<typeof closeRecordChanges>>;
  tables: SideTablesProof;
  witnesses: WitnessVerification;
}

/**
 * What `verify` says, a line each: the chain (or the record that breaks it), each entry whose kept cents changed,
 * each close's record that changed, the side tables' seals, the witnesses.
 */
export function verificationMessage({ chain, closes, tables, witnesses }: VerifiedLedger): string {
  return [
    chainMessage(chain),
    ...chain.centsChanges.map((change) => change.message),
    ...centsMore(chain),
    ...closes.map((change) => change.message),
    ...tablesLines(tables),
    ...witnessLines(witnesses),
  ].join('\n');
}

/** What verify says of the chain: its length and head, or the first record that breaks it and what to do. */
function chainMessage({ entries, closes, head, broken }: Verification): string {
  const records = `${entries} entries${closes === 0 ? '' : ` and ${closes} close${closes === 1 ? '' : 's'}`}`;
  if (broken === undefined) return `chain of ${records} verified, head ${head}`;
  const what =
    broken.period === undefined
      ? `entry ${broken.entryId} (dated ${broken.date}, source ${broken.sourceId}, position ${broken.position} of ${entries})`
      : `the close of ${broken.period} (recorded after entry ${broken.position} of ${entries})`;
  return (
    `chain broken at ${what}: it keeps ${broken.kept ?? 'no hash'}, its bytes give ${broken.hash}; ` +
    `${broken.period === undefined ? 'the entry' : 'the close'} or a record before it was changed outside ledgerline. ` +
    'Restore the ledger from a backup taken before the change and compare the two, entry by entry, from that one'
  );
}

/** How many more entries had their cents changed than are named one by one. */
function centsMore({ centsChanged, centsChanges }: Verification): string[] {
  const more = centsChanged - centsChanges.length;
  return more > 0
    ? [
        `and ${more} more entr${more === 1 ? 'y' : 'ies'} whose kept cents are not what their amounts give (only the first ${centsChanges.length} are named)`,
      ]
    : [];
}

/** The side tables' proof: its head when every seal holds, else each finding on a line of its own. */
function tablesLines({ head, findings }: SideTablesProof): string[] {
  return findings.length === 0
    ? [`seals of the tables beside the journal verified, head ${head.link} at position ${head.position}`]
    : findings.map((finding) => `! ${finding.kind}: ${finding.message}`);
}

/** The witnesses: each finding, else what was read; then each witness that could not be read (issue 73). */
function witnessLines({ findings, read, unread }: WitnessVerification): string[] {
  return [
    ...(findings.length === 0
      ? [`the chain holds every head witnessed in ${read.join(', ')}`]
      : [...findings.map((finding) => `! ${finding}`), `witnesses read: ${read.join(', ')}`]),
    ...unread.map((what) => `witness not read: ${what}`),
  ];
}
