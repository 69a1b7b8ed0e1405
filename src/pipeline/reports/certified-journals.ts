import { z } from 'zod';
import type { DestinationClient, RemoteLine } from '../../destinations/index.js';
import { formatCents } from '../../money/index.js';
import type { TieOutItem } from './destination-tie-out.js';

const TotalsSchema = z.object({ currency: z.string(), debit: z.string(), credit: z.string() });

/** What reconcile --with reads of a close certificate (pipeline/operations/period-close.ts writes it): each destination's certified journals. */
export const CertificateJournalsSchema = z.object({
  period: z.string(),
  destinations: z.array(
    z.object({
      name: z.string(),
      journals: z.array(z.object({ entryId: z.string(), date: z.string(), journalId: z.string().nullable(), totals: z.array(TotalsSchema) })),
    }),
  ),
});

/** One closed period as certified for one destination: the certificate's SHA-256 and the journals it names there. */
export interface CertifiedPeriod {
  period: string;
  periodStart: string;
  periodEnd: string;
  certificateSha256: string;
  journals: z.output<typeof CertificateJournalsSchema>['destinations'][number]['journals'];
}

/** The destination as the comparison names it: its kind ("xero"), its name ("Xero") and its base currency. */
export interface ReadBackDestination {
  kind: string;
  name: string;
  currency: string;
}

/**
 * A closed period's journals at the destination against its certificate (issue 42, item 3): a certified journal the
 * read-back no longer holds, or holds voided or deleted, or whose debit and credit totals differ from the certified
 * ones, is a closed_period_changed_at_destination item naming the certificate, the journal and both figures; so is
 * a journal the destination lists in the period (`dated`, where it can list them) that the certificate does not name.
 * Figures are compared where the certified totals are in the destination's currency; a journal converted at posting
 * is compared line by line at its stored rate by the tie-out itself. The read-back is netted per destination account,
 * so an entry debiting and crediting two ledger accounts mapped to one destination account reads as edited.
 * Example: 2024-02 certified sha256:9f… with Xero journal 5a… for je:0001 at debit 1.01 / credit 1.01 USD; someone
 * past the lock makes it 1.50 / 1.50 → "… journal 5a… for entry je:0001 (2024-02-10) was edited behind the lock: certified debit
 * 1.01 credit 1.01 USD, now debit 1.50 credit 1.50"; voided → "certified debit 1.01 …, now voided"; a journal 7c…
 * of 12.50 entered on 2024-02-15 → "… journal 7c… (not in the certificate) was added behind the lock: certified none, now debit 12.50 …".
 */
export function certifiedJournalChanges(certified: CertifiedPeriod, held: HeldJournals, destination: ReadBackDestination, dated?: HeldJournals): TieOutItem[] {
  const certificate = `closed period ${certified.period} (certificate sha256:${certified.certificateSha256})`;
  return [...changedOrRemoved(certified, held, destination, certificate), ...added(certified, dated ?? new Map(), destination, certificate)];
}

/** The journals a destination holds, by its id (read back by id, or listed by date). */
export type HeldJournals = Awaited<ReturnType<DestinationClient['readBack']>>;

function debitAndCredit(lines: readonly RemoteLine[]): { debit: string; credit: string } {
  const debit = formatCents(lines.reduce((sum, line) => (line.cents > 0n ? sum + line.cents : sum), 0n));
  const credit = formatCents(lines.reduce((sum, line) => (line.cents < 0n ? sum - line.cents : sum), 0n));
  return { debit, credit };
}

/** The journals the destination lists in the period that the certificate does not name (a voided one counts for nothing). */
function added(certified: CertifiedPeriod, dated: HeldJournals, destination: ReadBackDestination, certificate: string): TieOutItem[] {
  const named = new Set(certified.journals.map((journal) => journal.journalId));
  return [...dated].flatMap(([journalId, journal]) => {
    if (named.has(journalId) || journal.state === 'removed') return [];
    const { debit, credit } = debitAndCredit(journal.lines);
    const now = `debit ${debit} credit ${credit} ${destination.currency}`;
    const message = `${certificate}: ${destination.name} journal ${journalId} (not in the certificate) was added behind the lock: certified none, now ${now}`;
    return [{ kind: 'closed_period_changed_at_destination' as const, source: destination.kind, date: certified.periodEnd, amount: debit, currency: destination.currency, ref: journalId, remoteId: journalId, ledger: 'none', destination: now, message }];
  });
}

function changedOrRemoved(certified: CertifiedPeriod, held: HeldJournals, destination: ReadBackDestination, certificate: string): TieOutItem[] {
  return certified.journals.flatMap((journal) => {
    if (journal.journalId === null) return [];
    const totals = journal.totals.find((total) => total.currency === destination.currency);
    const figures = journal.totals.map((total) => `debit ${total.debit} credit ${total.credit} ${total.currency}`).join(', ');
    const found = held.get(journal.journalId);
    const base = { kind: 'closed_period_changed_at_destination' as const, source: destination.kind, date: journal.date, ref: journal.entryId, remoteId: journal.journalId };
    const amount = { amount: journal.totals[0]?.debit ?? '0.00', currency: journal.totals[0]?.currency ?? destination.currency, ledger: figures };
    const named = `${certificate}: ${destination.name} journal ${journal.journalId} for entry ${journal.entryId} (${journal.date})`;
    if (found === undefined || found.state === 'removed') {
      const now = found === undefined ? 'no longer there (deleted)' : found.status.toLowerCase();
      return [{ ...base, ...amount, destination: now, message: `${named} was removed behind the lock: certified ${figures}, now ${now}` }];
    }
    if (totals === undefined || journal.totals.length > 1) return [];
    const { debit, credit } = debitAndCredit(found.lines);
    if (debit === totals.debit && credit === totals.credit) return [];
    const now = `debit ${debit} credit ${credit} ${destination.currency}`;
    return [{ ...base, ...amount, destination: now, message: `${named} was edited behind the lock: certified ${figures}, now ${now}` }];
  });
}
