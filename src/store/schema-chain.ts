import type { ClosedPeriodTable } from './schema.js';

/** The chain's records besides the entries (migration 0026), as rows of LedgerDatabase. */
export interface ChainTables {
  chain_forms: ChainFormTable;
  chain_closes: ChainCloseTable;
}

/** From which seq on entries are chained in a form (form 2 covers the cents, see ledger/entry-chain.ts). */
export interface ChainFormTable {
  form: number;
  from_seq: bigint;
}

/** A close as a record of the chain: what closed_periods keeps, where it sits in the chain and its link. */
export interface ChainCloseTable extends ClosedPeriodTable {
  /** The seq of the last entry appended before the close (0: none). */
  after_seq: bigint;
  chain_hash: string;
}
