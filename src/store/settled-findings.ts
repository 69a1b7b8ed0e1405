/**
 * The finding kinds that other records settle, as the kinds of source declare them (the composition root hands them
 * from the registry, so the store names none): the panel's `balance_rise` is settled by its top-up's bank line, its
 * `balance_fall` by the orders learned after it that explain it whole.
 */
export interface SettledFindings {
  /** Kinds of finding a top-up's bank line settles (the transit acknowledges them). */
  readonly byTopUp: readonly string[];
  /** Kinds of finding the orders learned after them can explain whole (status counts those apart). */
  readonly byLateOrders: readonly string[];
}
