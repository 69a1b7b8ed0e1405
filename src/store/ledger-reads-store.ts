import type { LedgerReads } from '../reads/ledger-reads.js';
import type { AccountTotalsFilter } from '../ledger/index.js';
import { accountTotals } from './account-totals.js';
import { acknowledgementHistory } from './acknowledgements.js';
import { adjustmentRows } from './adjustments.js';
import { recordedBankDocuments } from './bank-document-steps.js';
import { closeActivity, reportedBalances } from './close-log.js';
import { dailyMovements, journalDateSpan, movementsBefore, movementsFrom, movementsWithin } from './daily-movements.js';
import { entryBookings } from './entry-bookings.js';
import { deliveriesTo } from './deliveries.js';
import { deliverySummaries } from './delivery-summary.js';
import { chainHead, chainPosition, entryChainHashes } from './entry-chain-hashes.js';
import { callsUsedOn } from './call-budgets.js';
import { fallExplanations } from './fall-explanations.js';
import type { EntryWindow } from '../ledger/index.js';
import { allRunningTotals } from './journal.js';
import { accountsInUse } from './journal-reads.js';
import { ledgerCounts } from './ledger-counts.js';
import type { LedgerStore } from './ledger-store.js';
import type { SettledFindings } from './settled-findings.js';
import {
  latestBalanceCloses,
  latestCloseDates,
  openFindings,
  openQuarantine,
  refusedDeliveries,
} from './open-items.js';
import { latestRunsOfEachCommand, recentRuns, withoutSummary } from './run-history.js';

/**
 * The read models' port (`LedgerReads`, reads/ledger-reads.ts) over the store's repositories, rows
 * turned into the port's types; the journal's reads are the ledger's, added by the composition root.
 * An arrow: it does no I/O itself, and the architecture test holds every `export function` taking the store to be async.
 */
export const ledgerReadsOver = (store: LedgerStore, findings: SettledFindings) => {
  return {
    ledgerCounts: (options: { destinations: readonly string[]; runLimit?: number | undefined }) =>
      ledgerCounts(store, options, findings.byLateOrders),
    integrityProblem: () => store.integrityProblem(),
    accountTotals: (filter: AccountTotalsFilter) => accountTotals(store, filter),
    accountsInUse: (window: EntryWindow) => accountsInUse(store, window),
    reportedBalances: (window: EntryWindow) => reportedBalances(store, window),
    postedDeliveries: async (destination: string) =>
      (await deliveriesTo(store, destination).posted()).map((row) => ({
        entryId: row.entryId,
        remoteId: row.remoteId,
        exchangeRate: row.exchangeRate,
        rateSource: row.rateSource,
      })),
    chainHashes: (entryIds: readonly string[]) => entryChainHashes(store, entryIds),
    chainHead: () => chainHead(store),
    chainPosition: () => chainPosition(store),
    callsUsedOn: (day: string) => callsUsedOn(store, day),
    bankDocumentsRecorded: (destination: string) => recordedBankDocuments(store, destination),
    latestCloseDates: () => latestCloseDates(store),
    closeActivity: (from: string) => closeActivity(store, from),
    latestBalanceCloses: (asOf: string) => latestBalanceCloses(store, asOf),
    fallExplanations: (asOf: string) => fallExplanations(store, asOf),
    openFindings: (asOf: string) => findingsOpen(store, asOf),
    openQuarantine: (asOf: string) => quarantineOpen(store, asOf),
    refusedDeliveries: (asOf: string) => refusedDeliveries(store, asOf),
    acknowledgementHistory: () => acknowledgementHistory(store),
    adjustingEntries: () => adjustmentRows(store),
    journalDateSpan: () => journalDateSpan(store),
    entryBookings: (window: EntryWindow) => entryBookings(store, window),
    dailyMovements: (
      window: { from: string; to: string },
      drawn?: { allFrom: string; sourceIds: readonly string[]; accounts: readonly string[] },
    ) => dailyMovements(store, window, drawn),
    movementsWithin: (window: { from: string; to: string }) => movementsWithin(store, window),
    movementsBefore: (date: string) => movementsBefore(store, date),
    movementsFrom: (date: string) => movementsFrom(store, date),
    allRunningTotals: () => allRunningTotals(store),
    // Without the summary: its JSON text is the runs' own to read.
    recentRuns: async (limit: number) => (await recentRuns(store, limit)).map(withoutSummary),
    latestRunsOfEachCommand: async () => (await latestRunsOfEachCommand(store)).map(withoutSummary),
    deliverySummaries: (options: { destinations: readonly string[]; from: string; to: string }) =>
      deliverySummaries(store, options),
  } satisfies Omit<LedgerReads, 'journal'>;
};

async function* findingsOpen(store: LedgerStore, asOf: string) {
  for await (const row of openFindings(store, asOf)) {
    yield {
      id: row.id,
      kind: row.kind,
      sourceId: row.source_id,
      date: row.date,
      amountMicros: row.amount_micros === null ? null : BigInt(row.amount_micros),
      currency: row.currency,
      ref: row.ref,
      message: row.message,
    };
  }
}

async function* quarantineOpen(store: LedgerStore, asOf: string) {
  for await (const row of openQuarantine(store, asOf)) {
    yield {
      id: String(row.id),
      sourceId: row.source_id,
      asOf: row.as_of,
      ref: row.item_ref,
      rawObservationId: row.raw_observation_id === null ? null : String(row.raw_observation_id),
      webhookId: row.webhook_id === null ? null : String(row.webhook_id),
      reason: row.reason,
    };
  }
}
