/**
 * The statuses a panel order is normalized to (normalizeStatus). A module of its own, importing nothing: the order
 * state's schema (order-ledger-state.ts, which src/rules/index.ts re-exports for the store) is built from it when
 * its module loads, so it must never wait on a module that imports the rules' index. Kept in normalize-status.ts,
 * it was undefined whenever normalize-status.ts loaded first (its import of the rules' index loaded the order
 * state's module before its own body ran): a ReferenceError under node, 33 unit files failing in vitest's shared
 * workers.
 */
export const ORDER_STATUSES = ['open', 'completed', 'partial', 'canceled', 'failed', 'unknown'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
