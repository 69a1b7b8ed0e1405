import type { Generated } from 'kysely';
import type { AddOutcomeKind } from '../../../ledger/index.js';
import { queryBuilder, type StoreHandle } from '../../../store/index.js';

/** The panel's own tables (their migrations are the store's, migrations/): its orders, its replay snapshots and its proxy's adds. */
export type PanelTables = {
  orders: OrderTable;
  order_corrections: OrderCorrectionTable;
  order_states_by_close: OrderStateByCloseTable;
  panel_balance_by_close: PanelBalanceByCloseTable;
  add_requests: AddRequestTable;
  add_outcomes: AddOutcomeTable;
};

/** The store's kysely handle with the panel's tables merged in: they are this folder's alone. */
export const panelQueries = (store: StoreHandle) => queryBuilder(store).withTables<PanelTables>();

interface OrderCorrectionTable {
  id: Generated<bigint>;
  source_id: string;
  order_id: string;
  date: string;
  amount_micros: bigint;
  /** The day's correcting entry; null when the orders' changes cancel out in every account. */
  entry_id: string | null;
  run_id: string;
  created_at: string;
}

interface OrderTable {
  source_id: string;
  order_id: string;
  service: string | null;
  quantity: bigint | null;
  created_at: string | null;
  discovered_via: string;
  first_seen_date: string;
  state: string | null;
  terminal: bigint | number;
  unknown_since: string | null;
  last_observed_date: string | null;
  updated_at: string;
}

/** An order's state after the close of `date` (migration 0010): written by the database with each state. */
interface OrderStateByCloseTable {
  source_id: string;
  order_id: string;
  date: string;
  state: string;
}

/** A panel's carried balance state after the close of `date` (migration 0010). */
interface PanelBalanceByCloseTable {
  source_id: string;
  date: string;
  state: string;
}

/** An `add` the panel proxy forwarded (migration 0008): kept before it reached the panel. */
interface AddRequestTable {
  id: string;
  source_id: string;
  service: string | null;
  quantity: bigint | null;
  requested_at: string;
  received_at: string;
  kept_via: 'ledger' | 'spool';
}

/** What came of an `add` the panel proxy forwarded. */
interface AddOutcomeTable {
  request_id: string;
  outcome: AddOutcomeKind;
  order_id: string | null;
  http_status: bigint | number | null;
  raw_observation_id: bigint | null;
  detail: string | null;
  answered_at: string;
  kept_via: 'ledger' | 'spool';
}
