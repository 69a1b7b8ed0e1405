/**
 * Checks and one-off operations around the books: `doctor`, the organisation gate before a post, the exchange
 * rates a post converts with, and moving a SQLite ledger to PostgreSQL (`migrate --to`).
 */
export { type DoctorCheck, runDoctor } from './doctor-checklist.js';
export { doctorText } from './doctor-text.js';
export { checkSources } from './source-checks.js';
export { sourcesTable } from './source-checks-text.js';
export { type SourceProbe } from './source-probe.js';
export { loadExchangeRates } from './exchange-rates.js';
export { type LedgerMove, moveLedgerToPostgres } from './move-ledger.js';
export { moveJson, renderMove } from './ledger-move-text.js';
export { refuseUnfitOrganisation } from './organisation-gate.js';
export { verifyChain } from './chain-verification.js';
export { proveSideTables, type SideTablesProof } from './side-tables-proof.js';
export { closePeriod } from './period-close.js';
export { renderClose } from './period-close-text.js';
export { periodStates } from './period-states.js';
export { closeRecordChanges, closedPeriodChanges } from './closed-period-checks.js';
export { entryEvidence, evidenceMappings } from './evidence-from-books.js';
// Operations' books (./books/): each over the store's handle, opened by `books.of(…)`.
export { evidenceBooks, type EvidenceBooks } from './books/evidence-books.js';
export { doctorBooks } from './books/doctor-books.js';
export { sealBooks } from './books/seal-books.js';
export { sideTableBooks } from './books/side-table-books.js';
export { certificateFolder } from './certificate-folder.js';
export { besideLedger, carryBesideLedger, type BesideLedger, type CarriedBesideLedger } from './carry-beside-ledger.js';
export { ledgerWriteRefusal } from './ledger-write-refusal.js';
