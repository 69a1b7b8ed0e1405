/** The ledger's witness (issue 73): each chain head and certificate a run leaves, kept off the ledger's folder. */
export { checkedWitnessPlace, readWitness, type WitnessRecord } from './witness-log.js';
export { checkWitness, refuseUnwitnessedBooks, witnessBooks, witnessedSyncStep } from './ledger-witness.js';
export { verifyWitnesses } from './witness-verification.js';
export { booksContents, deliveriesRemovedByRestore, restoreLedger } from './ledger-restore.js';
export {
  chainHeadWitness,
  CHAIN_HEAD_KEY,
  CHAIN_HEADS_LOST_KEY,
  ROW_SEALS_HEAD_KEY,
  type ChainHead,
  type ChainHeadReads,
} from './chain-head-witness.js';
export { sealWitnesses } from './side-table-witnesses.js';
export { closedPeriodRecheck } from './closed-period-recheck.js';
export { verificationMessage } from './verification-text.js';
export { restoredText } from './restore-text.js';
export { setAsideEarlierWitness } from './fresh-books-witness.js';
