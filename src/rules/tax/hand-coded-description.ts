import type { TaxFlowKey } from './tax-flows.js';

/**
 * How an adjusting entry's line coded by hand (`adjust --tax CODE`, issue 82) says its flow: "taxed as order_charge
 * (adjust --tax INPUT2)". The flow, not the code, is what the line keeps: each destination's flows write the chart's
 * codes in their own (QuickBooks' taxCodes: INPUT2 → "20.0% S"), so every reader finds the code it sends through the
 * flow, as for any other line. The booked treatment of issue 82's items 1–3 will say it of every line.
 */
const HAND_CODED = /^taxed as ([a-z_]+) \(adjust --tax ([^()]+)\)$/;

/** A hand-coded line's description: ("order_charge", "INPUT2") → "taxed as order_charge (adjust --tax INPUT2)". */
export function handCodedDescription(flow: TaxFlowKey, code: string): string {
  return `taxed as ${flow} (adjust --tax ${code})`;
}

/** The flow a line coded by hand names in its description (handCodedDescription), else undefined. */
export function handCodedFlow(description: string | undefined): TaxFlowKey | undefined {
  const match = description === undefined ? null : HAND_CODED.exec(description);
  return match === null ? undefined : (match[1] as TaxFlowKey);
}
