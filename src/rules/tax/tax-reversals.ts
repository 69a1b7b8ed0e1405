import { BANK_FEES_ACCOUNT, type EventKind } from '../vocabulary.js';
import type { TaxChart, TaxFlowKey, TaxFlows } from './tax-flows.js';
import { taxedSides } from './taxed-sides.js';

/**
 * The event kinds a `tax:` section may code with this chart: those the chart file rules, then the taxable flows the
 * configured source kinds declare (a plug-in's sale, fee and refund: `{ market_sale: {}, market_refund: { reverses:
 * market_sale } }`).
 */
export function taxableKinds(chart: Pick<TaxChart, 'taxable'>): EventKind[] {
  return Object.keys(chart.taxable ?? {});
}

/** The flow `kind` reverses, as its kind says it (order_refund → order_charge, market_refund → market_sale). */
export function reversedFlow(chart: Pick<TaxChart, 'taxable'>, kind: string): EventKind | undefined {
  return chart.taxable?.[kind]?.reverses;
}

/** Every reversal with the flow it reverses, those the chart file rules first: [order_refund, order_charge], …, [market_refund, market_sale]. */
function reversalPairs(chart: Pick<TaxChart, 'taxable'>): [EventKind, EventKind][] {
  return Object.entries(chart.taxable ?? {}).flatMap(([reversal, { reverses }]): [EventKind, EventKind][] =>
    reverses === undefined ? [] : [[reversal, reverses]],
  );
}

/**
 * A reversal keeps its original's code (issue 70). A clawback takes back earnings already on a return, so it must
 * reduce the same boxes at the same code: publisher_earnings coded ZERORATEDOUTPUT (box 6) and a clawback of 10.35
 * sent as "No VAT" left box 6 10.35 too high; coded ZERORATEDOUTPUT it is −10.35 in box 6. A reverse charge is
 * reversed as a reverse charge (a refund of 100.00 coded REVERSECHARGES moves box 1 and box 4 back by 20.00 each).
 *
 * A reversal with no rule of its own in force (for its source, on its date) takes the rule of the flow it reverses
 * (its kind's word) in force on the original's date, when it books back the original's revenue or expense line: the
 * same account, the other direction (publisher_earnings credits ad_revenue, publisher_clawback debits it). A chart
 * that sends the reversal elsewhere (`publisher_clawback: { debit: clawback_losses, … }`) leaves it uncovered:
 * doctor warns (reversalCoverage).
 */
export function inheritedOriginal(chart: TaxChart, reversal: EventKind): EventKind | undefined {
  const original = reversedFlow(chart, reversal);
  const [reversalRule, originalRule] = [
    chart.events[reversal],
    original === undefined ? undefined : chart.events[original],
  ];
  if (original === undefined || reversalRule === undefined || originalRule === undefined) return undefined;
  const back = taxedSides(reversalRule, chart.profitAndLoss);
  const forth = taxedSides(originalRule, chart.profitAndLoss);
  const mirrors =
    back.length > 0 &&
    back.length === forth.length &&
    back.every((side) => forth.some((other) => other.account === side.account && other.direction !== side.direction));
  return mirrors ? original : undefined;
}

/** The lines a tax section codes, keyed `debit smm_services_expense`, each with the flow that codes it. */
export function taxedLines(chart: TaxChart, flows: TaxFlows): Map<string, TaxFlowKey> {
  const byLine = new Map<string, TaxFlowKey>();
  for (const kind of taxableKinds(chart)) {
    const rule = chart.events[kind];
    if (flows[kind] === undefined || rule === undefined) continue;
    for (const { account, direction } of taxedSides(rule, chart.profitAndLoss))
      byLine.set(`${direction} ${account}`, kind);
  }
  for (const [reversal, original] of reversalPairs(chart)) {
    if (flows[original] === undefined || inheritedOriginal(chart, reversal) === undefined) continue;
    for (const { account, direction } of taxedSides(chart.events[reversal]!, chart.profitAndLoss)) {
      const key = `${direction} ${account}`;
      if (!byLine.has(key)) byLine.set(key, reversal);
    }
  }
  if (flows[BANK_FEES_ACCOUNT] !== undefined && chart.profitAndLoss.has(BANK_FEES_ACCOUNT)) {
    for (const direction of ['debit', 'credit'] as const) {
      const key = `${direction} ${BANK_FEES_ACCOUNT}`;
      if (!byLine.has(key)) byLine.set(key, BANK_FEES_ACCOUNT);
    }
  }
  return byLine;
}

/** How a coded flow's reversal is coded: by its own rules, by its original's (inherited), or not at all (uncovered). */
interface ReversalCoverage {
  reversal: EventKind;
  original: EventKind;
  coverage: 'own' | 'inherited' | 'uncovered';
  /** The revenue or expense accounts the reversal books to, for the warning: "ad_revenue". */
  accounts: string[];
}

/**
 * Each coded flow's reversal and how its lines are coded. Example (the shipped chart, tax: { publisher_earnings:
 * ZERORATEDOUTPUT }): [{ reversal: publisher_clawback, original: publisher_earnings, coverage: inherited }]; with
 * the chart's clawback sent to clawback_losses instead of ad_revenue: coverage uncovered (it goes out "No VAT").
 */
export function reversalCoverage(chart: TaxChart, flows: TaxFlows): ReversalCoverage[] {
  return reversalPairs(chart)
    .filter(([reversal, original]) => flows[original] !== undefined && chart.events[reversal] !== undefined)
    .map(([reversal, original]) => ({
      reversal,
      original,
      coverage:
        flows[reversal] !== undefined
          ? 'own'
          : inheritedOriginal(chart, reversal) === undefined
            ? 'uncovered'
            : 'inherited',
      accounts: taxedSides(chart.events[reversal]!, chart.profitAndLoss).map((side) => side.account),
    }));
}
