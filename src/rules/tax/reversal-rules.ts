import type { EventKind } from '../vocabulary.js';
import { ruleInForce, type TaxFlows, type TaxRule } from './tax-flows.js';

/** Where a reversal's own rule parts from its original's: the day (undefined: from the first), the source the rules name, both rules. */
interface RuleDeparture {
  from: string | undefined;
  sourceId: string | undefined;
  own: TaxRule;
  /** The original's rule in force that day; undefined when none is (its lines go uncoded). */
  original: TaxRule | undefined;
}

/**
 * The first day a reversal's own rule codes otherwise than the rule in force for its original (issue 83): its lines
 * are then booked by the reversal's rule, not as its original was. Each day a rule of either begins is weighed, for
 * the general rules and for each source the rules name. Example: order_charge [{ REVERSECHARGES, rate 20, reverse
 * charge }, { INPUT2, rate 20, from: 2026-05-03 }], order_refund [{ REVERSECHARGES, rate 20, reverse charge }] →
 * { from: 2026-05-03, own: REVERSECHARGES, original: INPUT2 }: a refund of 12.00 of an order charged at INPUT2 (which
 * reclaimed 2.00) would move boxes 1 and 4 back by 2.00 each, so the VAT due would not give back the 2.00 reclaimed.
 * Undefined when they agree on every day, or the reversal has no rule of its own.
 */
export function ownRuleDeparture(flows: TaxFlows, reversal: EventKind, original: EventKind): RuleDeparture | undefined {
  const own = flows[reversal] ?? [];
  const originals = flows[original] ?? [];
  const rules = [...own, ...originals];
  const sources = [undefined, ...new Set(rules.flatMap((rule) => (rule.source === undefined ? [] : [rule.source])))];
  // '' is before every date: the rules without a `from` alone are in force on it.
  const days = [...new Set(rules.map((rule) => rule.from ?? ''))].sort();
  for (const sourceId of sources) {
    for (const day of days) {
      const ownRule = ruleInForce(own, sourceId ?? '', day);
      const originalRule = ruleInForce(originals, sourceId ?? '', day);
      if (ownRule !== undefined && !sameTreatment(ownRule, originalRule))
        return { from: day === '' ? undefined : day, sourceId, own: ownRule, original: originalRule };
    }
  }
  return undefined;
}

/** Two rules code a line alike: the same code, rate and reverse charge (a name is only a label). */
function sameTreatment(rule: TaxRule, other: TaxRule | undefined): boolean {
  return (
    other !== undefined &&
    rule.code === other.code &&
    (rule.rate ?? '') === (other.rate ?? '') &&
    (rule.reverseCharge === true) === (other.reverseCharge === true)
  );
}
