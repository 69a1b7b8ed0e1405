import type { SourceEvent } from '../source-event.js';
import { ORIGINAL_DATE_DETAIL } from './original-date.js';
import { ruleInForce, type TaxChart, type TaxFlows } from './tax-flows.js';
import { inheritedOriginal, reversedFlow } from './tax-reversals.js';

/**
 * A reversal is coded by the rule in force on its ORIGINAL's date (issue 70): the day the line must carry, or
 * undefined when the reversal's own date gives the same rule (or the reversal has a rule of its own, or does not
 * book back its original's line, or its source does not know the original's day). A daily entry keeps such a
 * reversal's events on a line of their own per original's date, whose description says it (withOriginalDate), so
 * the ledger's tax line, every destination's code and the return all read the same rule from the stored entry.
 *
 * Worked, in numbers: order_charge INPUT2 at 20 % until 2026-03-30, REVERSECHARGES at 20 % from 2026-03-31. An order
 * of 0.90 charged on 03-30 is refunded 0.14 on 03-31. By its own date the refund would be a reverse charge: the line
 * whole and legs of 0.03 each way, so box 4 would keep the 0.02 of input VAT the charge reclaimed (0.90 × 20/120 =
 * 0.15) on 0.14 that came back. By its original's date it is INPUT2: Cr smm_services_expense 0.12, Cr vat_input 0.02
 * (0.14 × 20/120 = 0.023 → 0.02), and box 4 gives that 0.02 back. → "2026-03-30".
 */
export function reversalLineDate(
  event: Pick<SourceEvent, 'kind' | 'sourceId' | 'date' | 'detail'>,
  tax: { chart: TaxChart; flows: TaxFlows } | undefined,
): string | undefined {
  const originalDate = event.detail[ORIGINAL_DATE_DETAIL];
  if (originalDate === undefined || tax === undefined || originalDate === event.date) return undefined;
  const kind = event.kind;
  const original = reversedFlow(tax.chart, kind);
  if (original === undefined || ruleInForce(tax.flows[kind] ?? [], event.sourceId, event.date) !== undefined)
    return undefined;
  if (inheritedOriginal(tax.chart, kind) === undefined) return undefined;
  const rules = tax.flows[original] ?? [];
  const then = ruleInForce(rules, event.sourceId, originalDate);
  return then === ruleInForce(rules, event.sourceId, event.date) ? undefined : originalDate;
}
