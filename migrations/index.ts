import type { Migration } from 'kysely';
import type { MigrationName } from './names.js';
import * as ledger from './0001-ledger.js';
import * as closeLog from './0002-close-log.js';
import * as acknowledgements from './0003-acknowledgements.js';
import * as deliveryExchangeRates from './0004-delivery-exchange-rates.js';
import * as balanceIndexes from './0005-balance-indexes.js';
import * as legacyJournalNumbers from './0006-legacy-journal-numbers.js';
import * as fallExplanations from './0007-fall-explanations.js';
import * as proxyAddRequests from './0008-proxy-add-requests.js';
import * as ledgerIdentity from './0009-ledger-identity.js';
import * as replaySnapshots from './0010-replay-snapshots.js';
import * as refusalsWithoutStatementJournal from './0011-refusals-without-statement-journal.js';
import * as accountTotals from './0012-account-totals.js';
import * as orderSnapshotsByReplacement from './0013-order-snapshots-by-replacement.js';
import * as oneIndexOnEntryDates from './0014-one-index-on-entry-dates.js';
import * as centsWithTheirLines from './0015-cents-with-their-lines.js';
import * as supersededOrderStates from './0016-superseded-order-states.js';
import * as entryEventLinks from './0017-entry-event-links.js';
import * as sealedMonths from './0018-sealed-months.js';
import * as bankLines from './0019-bank-lines.js';
import * as adjustments from './0020-adjustments.js';
import * as bankDocuments from './0021-bank-documents.js';
import * as dailyMovements from './0022-daily-movements.js';
import * as evidenceAttachments from './0023-evidence-attachments.js';
import * as transitEvidence from './0024-transit-evidence.js';
import * as statementLevelChecks from './0025-statement-level-checks.js';
import * as chainedCentsAndCloses from './0026-chained-cents-and-closes.js';
import * as rowSeals from './0027-row-seals.js';
import * as adjustmentKeys from './0028-adjustment-keys.js';
import * as bankMatching from './0029-bank-matching.js';
import * as statementAccounts from './0030-statement-accounts.js';
import * as payelancerCloseState from './0031-payelancer-close-state.js';
import * as callBudgets from './0032-call-budgets.js';
import * as entryBalanceInOnePass from './0033-entry-balance-in-one-pass.js';
import * as transitIndexes from './0034-transit-indexes.js';
import * as runLockHolderStart from './0035-run-lock-holder-start.js';
import * as filedReturns from './0036-filed-returns.js';
import * as exceptionWords from './0037-exception-words.js';
import * as filedReturnSeals from './0038-filed-return-seals.js';
import * as lineTaxTreatments from './0039-line-tax-treatments.js';
import * as reclassifiedCents from './0040-reclassified-cents.js';

/** Every migration, by name (names.ts lists them: a name missing here or there fails to compile); kysely's Migrator applies them in name order. */
export const MIGRATIONS: Readonly<Record<MigrationName, Migration>> = {
  '0001-ledger': ledger,
  '0002-close-log': closeLog,
  '0003-acknowledgements': acknowledgements,
  '0004-delivery-exchange-rates': deliveryExchangeRates,
  '0005-balance-indexes': balanceIndexes,
  '0006-legacy-journal-numbers': legacyJournalNumbers,
  '0007-fall-explanations': fallExplanations,
  '0008-proxy-add-requests': proxyAddRequests,
  '0009-ledger-identity': ledgerIdentity,
  '0010-replay-snapshots': replaySnapshots,
  '0011-refusals-without-statement-journal': refusalsWithoutStatementJournal,
  '0012-account-totals': accountTotals,
  '0013-order-snapshots-by-replacement': orderSnapshotsByReplacement,
  '0014-one-index-on-entry-dates': oneIndexOnEntryDates,
  '0015-cents-with-their-lines': centsWithTheirLines,
  '0016-superseded-order-states': supersededOrderStates,
  '0017-entry-event-links': entryEventLinks,
  '0018-sealed-months': sealedMonths,
  '0019-bank-lines': bankLines,
  '0020-adjustments': adjustments,
  '0021-bank-documents': bankDocuments,
  '0022-daily-movements': dailyMovements,
  '0023-evidence-attachments': evidenceAttachments,
  '0024-transit-evidence': transitEvidence,
  '0025-statement-level-checks': statementLevelChecks,
  '0026-chained-cents-and-closes': chainedCentsAndCloses,
  '0027-row-seals': rowSeals,
  '0028-adjustment-keys': adjustmentKeys,
  '0029-bank-matching': bankMatching,
  '0030-statement-accounts': statementAccounts,
  '0031-payelancer-close-state': payelancerCloseState,
  '0032-call-budgets': callBudgets,
  '0033-entry-balance-in-one-pass': entryBalanceInOnePass,
  '0034-transit-indexes': transitIndexes,
  '0035-run-lock-holder-start': runLockHolderStart,
  '0036-filed-returns': filedReturns,
  '0037-exception-words': exceptionWords,
  '0038-filed-return-seals': filedReturnSeals,
  '0039-line-tax-treatments': lineTaxTreatments,
  '0040-reclassified-cents': reclassifiedCents,
};

/**
 * The same migrations, under the same names, for a PostgreSQL ledger: both
 * engines' kysely_migration tables read alike, and a migration added later
 * gives both texts at once.
 */
export const POSTGRES_MIGRATIONS: Readonly<Record<MigrationName, Migration>> = {
  '0001-ledger': { up: ledger.upPostgres },
  '0002-close-log': { up: closeLog.upPostgres },
  '0003-acknowledgements': { up: acknowledgements.upPostgres },
  '0004-delivery-exchange-rates': { up: deliveryExchangeRates.upPostgres },
  '0005-balance-indexes': { up: balanceIndexes.upPostgres },
  '0006-legacy-journal-numbers': { up: legacyJournalNumbers.upPostgres },
  '0007-fall-explanations': { up: fallExplanations.upPostgres },
  '0008-proxy-add-requests': { up: proxyAddRequests.upPostgres },
  '0009-ledger-identity': { up: ledgerIdentity.upPostgres },
  '0010-replay-snapshots': { up: replaySnapshots.upPostgres },
  '0011-refusals-without-statement-journal': { up: refusalsWithoutStatementJournal.upPostgres },
  '0012-account-totals': { up: accountTotals.upPostgres },
  '0013-order-snapshots-by-replacement': { up: orderSnapshotsByReplacement.upPostgres },
  '0014-one-index-on-entry-dates': { up: oneIndexOnEntryDates.upPostgres },
  '0015-cents-with-their-lines': { up: centsWithTheirLines.upPostgres },
  '0016-superseded-order-states': { up: supersededOrderStates.upPostgres },
  '0017-entry-event-links': { up: entryEventLinks.upPostgres },
  '0018-sealed-months': { up: sealedMonths.upPostgres },
  '0019-bank-lines': { up: bankLines.upPostgres },
  '0020-adjustments': { up: adjustments.upPostgres },
  '0021-bank-documents': { up: bankDocuments.upPostgres },
  '0022-daily-movements': { up: dailyMovements.upPostgres },
  '0023-evidence-attachments': { up: evidenceAttachments.upPostgres },
  '0024-transit-evidence': { up: transitEvidence.upPostgres },
  '0025-statement-level-checks': { up: statementLevelChecks.upPostgres },
  '0026-chained-cents-and-closes': { up: chainedCentsAndCloses.upPostgres },
  '0027-row-seals': { up: rowSeals.upPostgres },
  '0028-adjustment-keys': { up: adjustmentKeys.upPostgres },
  '0029-bank-matching': { up: bankMatching.upPostgres },
  '0030-statement-accounts': { up: statementAccounts.upPostgres },
  '0031-payelancer-close-state': { up: payelancerCloseState.upPostgres },
  '0032-call-budgets': { up: callBudgets.upPostgres },
  '0033-entry-balance-in-one-pass': { up: entryBalanceInOnePass.upPostgres },
  '0034-transit-indexes': { up: transitIndexes.upPostgres },
  '0035-run-lock-holder-start': { up: runLockHolderStart.upPostgres },
  '0036-filed-returns': { up: filedReturns.upPostgres },
  '0037-exception-words': { up: exceptionWords.upPostgres },
  '0038-filed-return-seals': { up: filedReturnSeals.upPostgres },
  '0039-line-tax-treatments': { up: lineTaxTreatments.upPostgres },
  '0040-reclassified-cents': { up: reclassifiedCents.upPostgres },
};
