import { z } from 'zod';
import type { DestinationClient, RemoteLine } from '../destinations/index.js';
import { formatCents, parseScaled } from '../money/index.js';
import type { TieOutItem } from './destination-tie-out.js';

const TotalsSchema = z.object({ currency: z.string(), debit: z.string(), credit: z.string() });

/**
 * One certified journal: its totals, and (certificates since issue 52, "ledgerline period close/2") its currency and
 * its lines per destination account as the destination holds them, signed cents as decimal text ("-59.49").
 */
const CertifiedJournalSchema = z.object({
  entryId: z.string(),
  date: z.string(),
  journalId: z.string().nullable(),
  totals: z.array(TotalsSchema),
  currency: z.string().optional(),
  lines: z.array(z.object({ account: z.string(), cents: z.string().regex(/^-?\d+\.\d{2}$/) })).optional(),
});

/** What reconcile --with reads of a close certificate (pipeline/operations/period-close.ts writes it): each destination's certified journals. */
export const CertificateJournalsSchema = z.object({
  period: z.string(),
  destinations: z.array(z.object({ name: z.string(), journals: z.array(CertifiedJournalSchema) })),
});

/**
 * A certified journal's lines as the destination holds them, in its currency: as certified, or, for an old
 * certificate, as the ledger's entry maps and nets (ledgerSide).
 */
interface HeldLines {
  currency: string;
  lines: readonly RemoteLine[];
}

/** One closed period as certified for one destination: the certificate's SHA-256 and the journals it names there. */
export interface CertifiedPeriod {
  period: string;
  periodStart: string;
  periodEnd: string;
  certificateSha256: string;
  journals: z.output<typeof CertificateJournalsSchema>['destinations'][number]['journals'];
}

/** The destination as the comparison names it: its kind ("xero"), its name ("Xero") and its base currency. */
interface ReadBackDestination {
  kind: string;
  name: string;
  currency: string;
}

/**
 * A closed period's journals at the destination against its certificate (issue 42, item 3): a certified journal the
 * read-back no longer holds, or holds voided or deleted, or whose debit and credit totals differ from the certified
 * ones, is a closed_period_changed_at_destination item naming the certificate, the journal and both figures; so is
 * a journal the destination lists in the period (`dated`, where it can list them) that the certificate does not name.
 * The certificate holds each journal's lines as the destination holds them (mapped and netted per destination account,
 * in the journal's currency), and the read-back is netted the same way, so they are compared account by account: an
 * entry debiting and crediting one destination account (a refund day) reads as it was sent.
 * A certificate written before it kept only the ledger's gross totals (certificate "…/1"); its SHA-256 is sealed, so
 * it is never rewritten. Its journals are compared with the ledger's entry netted at read time (`ledgerSide`: the
 * same expectedLines the close uses now) while the entry's gross totals are still the certified ones (the chain check
 * proves the entry unchanged); without that, with the certified totals, where they are in the destination's currency.
 * Example: 2024-02 certified sha256:9f… with Xero journal 5a… for je:0001 at debit 1.01 / credit 1.01 USD; someone
 * past the lock makes it 1.50 / 1.50 → "… journal 5a… for entry je:0001 (2024-02-10) was edited behind the lock: certified debit
 * 1.01 credit 1.01 USD, now debit 1.50 credit 1.50"; voided → "certified debit 1.01 …, now voided"; a journal 7c…
 * of 12.50 entered on 2024-02-15 → "… journal 7c… (not in the certificate) was added behind the lock: certified none, now debit 12.50 …".
 */
export function certifiedJournalChanges(
  certified: CertifiedPeriod,
  held: HeldJournals,
  destination: ReadBackDestination,
  read: { dated?: HeldJournals | undefined; ledgerSide?: LedgerSide | undefined } = {},
): TieOutItem[] {
  const certificate = `closed period ${certified.period} (certificate sha256:${certified.certificateSha256})`;
  return [
    ...changedOrRemoved(certified, held, destination, certificate, read.ledgerSide),
    ...added(certified, read.dated ?? new Map(), destination, certificate),
  ];
}

/** The journal the ledger's entry is at the destination today, with the entry's gross totals: for a certificate that kept no lines. */
export type LedgerSide = (
  entryId: string,
) => (HeldLines & { gross: readonly { currency: string; debit: string; credit: string }[] }) | undefined;

/** The journals a destination holds, by its id (read back by id, or listed by date). */
export type HeldJournals = Awaited<ReturnType<DestinationClient['readBack']>>;

function debitAndCredit(lines: readonly RemoteLine[]): { debit: string; credit: string } {
  const debit = formatCents(lines.reduce((sum, line) => (line.cents > 0n ? sum + line.cents : sum), 0n));
  const credit = formatCents(lines.reduce((sum, line) => (line.cents < 0n ? sum - line.cents : sum), 0n));
  return { debit, credit };
}

/** The journals the destination lists in the period that the certificate does not name (a voided one counts for nothing). */
function added(
  certified: CertifiedPeriod,
  dated: HeldJournals,
  destination: ReadBackDestination,
  certificate: string,
): TieOutItem[] {
  const named = new Set(certified.journals.map((journal) => journal.journalId));
  return [...dated].flatMap(([journalId, journal]) => {
    if (named.has(journalId) || journal.state === 'removed') return [];
    const { debit, credit } = debitAndCredit(journal.lines);
    const now = `debit ${debit} credit ${credit} ${destination.currency}`;
    const message = `${certificate}: ${destination.name} journal ${journalId} (not in the certificate) was added behind the lock: certified none, now ${now}`;
    return [
      {
        kind: 'closed_period_changed_at_destination' as const,
        source: destination.kind,
        date: certified.periodEnd,
        amount: debit,
        currency: destination.currency,
        ref: journalId,
        remoteId: journalId,
        ledger: 'none',
        destination: now,
        message,
      },
    ];
  });
}

function changedOrRemoved(
  certified: CertifiedPeriod,
  held: HeldJournals,
  destination: ReadBackDestination,
  certificate: string,
  ledgerSide: LedgerSide | undefined,
): TieOutItem[] {
  return certified.journals.flatMap((journal) => {
    if (journal.journalId === null) return [];
    const figures = journal.totals
      .map((total) => `debit ${total.debit} credit ${total.credit} ${total.currency}`)
      .join(', ');
    const found = held.get(journal.journalId);
    const base = {
      kind: 'closed_period_changed_at_destination' as const,
      source: destination.kind,
      date: journal.date,
      ref: journal.entryId,
      remoteId: journal.journalId,
    };
    const amount = {
      amount: journal.totals[0]?.debit ?? '0.00',
      currency: journal.totals[0]?.currency ?? destination.currency,
      ledger: figures,
    };
    const named = `${certificate}: ${destination.name} journal ${journal.journalId} for entry ${journal.entryId} (${journal.date})`;
    if (found === undefined || found.state === 'removed') {
      const now = found === undefined ? 'no longer there (deleted)' : found.status.toLowerCase();
      return [
        {
          ...base,
          ...amount,
          destination: now,
          message: `${named} was removed behind the lock: certified ${figures}, now ${now}`,
        },
      ];
    }
    const edit = editOf(journal, found.lines, destination, ledgerSide);
    if (edit === undefined) return [];
    return [
      {
        ...base,
        ...amount,
        destination: edit.now,
        message: `${named} was edited behind the lock: certified ${figures}, now ${edit.now}${edit.detail}`,
      },
    ];
  });
}

type CertifiedJournal = CertifiedPeriod['journals'][number];

/**
 * How a journal read back differs from its certificate, or undefined when it does not: account by account against
 * the lines certified (or, for an old certificate, the ledger's entry netted now), else by the certified totals.
 * Where the totals agree but the accounts do not, `detail` names each account that moved.
 */
function editOf(
  journal: CertifiedJournal,
  found: readonly RemoteLine[],
  destination: ReadBackDestination,
  ledgerSide: LedgerSide | undefined,
): { now: string; detail: string } | undefined {
  const expected = certifiedLines(journal) ?? ledgerLinesFor(journal, ledgerSide);
  const { debit, credit } = debitAndCredit(found);
  const now = `debit ${debit} credit ${credit} ${expected?.currency ?? destination.currency}`;
  if (expected === undefined) {
    const totals = journal.totals.find((total) => total.currency === destination.currency);
    if (totals === undefined || journal.totals.length > 1 || (debit === totals.debit && credit === totals.credit))
      return undefined;
    return { now, detail: '' };
  }
  const moved = accountsApart(expected.lines, found);
  if (moved.length === 0) return undefined;
  const certified = debitAndCredit(expected.lines);
  const detail =
    certified.debit === debit && certified.credit === credit
      ? ` (${moved.map((line) => `account ${line.account} certified ${line.certified}, now ${line.now}`).join('; ')})`
      : '';
  return { now, detail };
}

/** The lines a new certificate holds for the journal, as cents; undefined for a certificate that kept only totals. */
function certifiedLines(journal: CertifiedJournal): HeldLines | undefined {
  if (journal.lines === undefined) return undefined;
  return {
    currency: journal.currency ?? journal.totals[0]?.currency ?? '',
    lines: journal.lines.map((line) => ({ account: line.account, cents: parseScaled(line.cents, 2) })),
  };
}

/** For a certificate that kept only totals: the ledger's entry as the destination holds it, while its gross totals are still the certified ones. */
function ledgerLinesFor(journal: CertifiedJournal, ledgerSide: LedgerSide | undefined): HeldLines | undefined {
  const side = ledgerSide?.(journal.entryId);
  if (side === undefined) return undefined;
  const certifiedAs = (total: { currency: string; debit: string; credit: string }, index: number): boolean => {
    const certified = journal.totals[index];
    return (
      certified !== undefined &&
      total.currency === certified.currency &&
      total.debit === certified.debit &&
      total.credit === certified.credit
    );
  };
  return side.gross.length === journal.totals.length && side.gross.every(certifiedAs) ? side : undefined;
}

/** Each account whose sums differ between the two sides, in account order, as signed decimal text. */
function accountsApart(
  certified: readonly RemoteLine[],
  found: readonly RemoteLine[],
): { account: string; certified: string; now: string }[] {
  const sum = (lines: readonly RemoteLine[], account: string): bigint =>
    lines.filter((line) => line.account === account).reduce((total, line) => total + line.cents, 0n);
  return [...new Set([...certified, ...found].map((line) => line.account))]
    .sort()
    .filter((account) => sum(certified, account) !== sum(found, account))
    .map((account) => ({
      account,
      certified: formatCents(sum(certified, account)),
      now: formatCents(sum(found, account)),
    }));
}
