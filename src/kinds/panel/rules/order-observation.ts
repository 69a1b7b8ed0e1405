/**
 * One answer of the panel about one order, already parsed at the edge (the
 * source client's zod schemas, amounts through parseMicros). The rules never
 * see the wire format.
 */
export type OrderObservation = OrderStatusObservation | UnknownOrderObservation;

export interface OrderStatusObservation {
  kind: 'status';
  /** Panel order ids are strings: some panels use non-numeric ids. */
  orderId: string;
  /** As the panel wrote it ("In progress", "Cancelled", "Paused"); normalized by the rules. */
  statusRaw: string;
  chargeMicros: bigint;
  /** As the panel wrote it ("157", "+12", "-3", "Unknown"); undefined when absent. Interpreted by the rules. */
  remainsRaw?: string | undefined;
  /** The reply's currency, or, when the reply has none, the currency of the panel's balance reply. */
  currency: string;
}

/** The panel said it does not know the order: {"error": "Incorrect order ID"}, a bare string, a 404, or the id missing from a batch reply. */
export interface UnknownOrderObservation {
  kind: 'unknown';
  orderId: string;
  /** What the panel answered, for the report ("Incorrect order ID", "missing from the batch reply"). */
  reason: string;
}
