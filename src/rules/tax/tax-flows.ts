import type { EventRules } from '../event-rules.js';
import { ADJUSTMENT_SOURCE_ID, BANK_FEES_ACCOUNT, type EventKind } from '../vocabulary.js';
import { handCodedFlow } from './hand-coded-description.js';
import { bookedWithTreatment, type BookedTaxField } from './line-treatment.js';
import { originalDateOf } from './original-date.js';
import { inheritedOriginal, reversedFlow, taxableKinds, taxedLines } from './tax-reversals.js';
import { sideAccounts, taxedSides, type Direction } from './taxed-sides.js';

/**
 * Tax codes per flow (issue 54). A flow is an event kind, optionally of one source; its tax code goes on the
 * line of its journal rule that books to a revenue or expense account (the line the return reads): for
 * `publisher_earnings` (Dr payelancer_receivable, Cr ad_revenue) the credit to ad_revenue, for `order_charge`
 * (Dr smm_services_expense, Cr panel_prepaid) the debit to smm_services_expense. The other lines carry no code.
 *
 * A daily entry sums a source's events per account and direction, so a line is told by its account and its
 * sign: a debit to smm_services_expense in a panel's entry is its order charges, a credit to it its refunds.
 * Codes are dated: a rule with `from: 2026-03-15` applies to entries dated on or after that day, so a change of
 * treatment is a new rule and the entries before it keep the old code (and are never re-sent: a replay of old
 * days books nothing new). The codes are the destination's own (Xero `REVERSECHARGES`), passed through as written.
 *
 * Reverse charge, in numbers (a UK business buys 100.00 of SMM services from a panel abroad, VAT 20 %): the
 * ledger books Dr smm_services_expense 100.00, Cr panel_prepaid 100.00, as without tax: nothing is paid to the
 * supplier or to HMRC for it. Coded `REVERSECHARGES`, the return carries both legs, 20.00 of output VAT (box 1)
 * and 20.00 of input VAT (box 4), and 100.00 in boxes 6 and 7: the VAT due changes by 20.00 − 20.00 = 0.00, so
 * the line's tax amount is 0.00 and the journal the destination stores is the ledger's (tax-rate.ts, reverseChargeLegs).
 */
export interface TaxRule {
  /** The destination's tax code, case as the destination writes it: "REVERSECHARGES", "OUTPUT2". */
  code: string;
  /** YYYY-MM-DD: the rule applies to entries dated on or after it; without it, to every date before a later rule. */
  from?: string | undefined;
  /** A configured source's id: the rule is that source's only (it wins over rules without one). */
  source?: string | undefined;
  /** The rate's display name, which a destination's file import wants instead of the code ("Reverse Charge Expenses (20%)"). */
  name?: string | undefined;
  /** The code's rate in percent, decimal text ("20", "12.5"; "0" for a reverse charge): the ledger's own tax (tax-rate.ts). */
  rate?: string | undefined;
  /**
   * A reverse charge (issue 70): the buyer accounts for the supplier's VAT at `rate`, both legs on the return, so the
   * line stays whole and carries no tax at the destination, and the ledger books the two legs, which cancel.
   */
  reverseCharge?: boolean | undefined;
}

/**
 * What a `tax:` section keys: an event kind (one the chart file rules, or a taxable flow a source kind declares), or `bank_fees`, the
 * account whose every line (a bank's fee accepted by `transit accept`, or booked by `adjust`) takes its code, from any
 * source, adjusting entries included.
 */
export type TaxFlowKey = EventKind | typeof BANK_FEES_ACCOUNT;

/** The `tax:` section of a destination's mapping file: each flow's rules. */
export type TaxFlows = Readonly<Partial<Record<TaxFlowKey, readonly TaxRule[]>>>;

/** What of the chart tax coding reads: each event kind's rule, and which accounts are revenue or expense. */
export interface TaxChart {
  events: EventRules;
  profitAndLoss: ReadonlySet<string>;
  /**
   * The event kinds a `tax:` section may code, each with the flow it reverses when it is a reversal: those the chart
   * file rules, as the registered kinds say them, then the taxable flows the configured kinds declare (their
   * vocabularies' `taxFlows`): `{ …, order_refund: { reverses: order_charge }, market_sale: {}, market_refund:
   * { reverses: market_sale } }`. A reversal takes its original's code, as order_refund takes order_charge's.
   */
  taxable?: Readonly<Record<string, { readonly reverses?: string | undefined }>> | undefined;
}

/** One line's code and the flow that gave it. */
export interface LineTaxCode {
  code: string;
  kind: TaxFlowKey;
  /** The flow whose rule a reversal without its own took (publisher_clawback → publisher_earnings). */
  reverses?: EventKind | undefined;
  /** The rule's display name, when it gives one. */
  name?: string | undefined;
  /** The rule's rate in percent, when it gives one. */
  rate?: string | undefined;
  /** The rule is a reverse charge: the destination stores no tax on the line. */
  reverseCharge?: boolean | undefined;
}

/** A problem with the tax section, at its key path ("tax.payout_wire"). */
interface TaxFlowProblem {
  path: string;
  message: string;
}

/** The lines a key of `tax:` codes, as taxedSides gives them; `bank_fees` codes its account both ways (a fee, a fee back). */
export function flowSides(chart: TaxChart, key: TaxFlowKey): { account: string; direction: Direction }[] {
  if (key !== BANK_FEES_ACCOUNT) {
    const rule = chart.events[key];
    return rule === undefined ? [] : taxedSides(rule, chart.profitAndLoss);
  }
  return chart.profitAndLoss.has(key)
    ? [
        { account: key, direction: 'debit' },
        { account: key, direction: 'credit' },
      ]
    : [];
}

/**
 * The rule in force for an entry of `sourceId` dated `date`: the source's own rules if it has any, else the
 * general ones; of those, the one with the latest `from` on or before the date. An adjusting entry
 * (`ledgerline adjust`) takes only rules that name its source, `adjustments`.
 * Example: [{ code: REVERSECHARGES }, { code: INPUT2, from: 2026-03-15 }] → 2026-03-14: REVERSECHARGES; 2026-03-15: INPUT2.
 */
export function ruleInForce(
  rules: readonly TaxRule[],
  sourceId: string,
  date: string,
  adjustmentsTakeGeneral = false,
): TaxRule | undefined {
  const dated = rules.filter((rule) => rule.from === undefined || rule.from <= date);
  const own = dated.filter((rule) => rule.source === sourceId);
  const general =
    sourceId === ADJUSTMENT_SOURCE_ID && !adjustmentsTakeGeneral
      ? []
      : dated.filter((rule) => rule.source === undefined);
  const candidates = own.length > 0 ? own : general;
  let found: TaxRule | undefined;
  for (const rule of candidates) if (found === undefined || (rule.from ?? '') >= (found.from ?? '')) found = rule;
  return found;
}

/**
 * Each line's code, or undefined for a line no mapped flow codes. `lines` carry signed amounts (+debit, −credit).
 * Example (the panel's entry of 2026-03-14, order_charge → REVERSECHARGES): Dr smm_services_expense 100.00 →
 * { code: REVERSECHARGES, kind: order_charge }; Cr panel_prepaid 100.00 → undefined. A reversal without a rule of
 * its own takes its original's (tax-reversals.ts): Cr smm_services_expense 15.00 → { code: REVERSECHARGES, kind:
 * order_refund, reverses: order_charge }, the rule in force on the original's date when the line says it
 * ("order refund (original of 2026-03-30)": reversal-dates.ts), else on the entry's date. A line on bank_fees takes
 * `tax.bank_fees`. A line a person coded with `adjust --tax INPUT2` names its flow ("taxed as order_charge (adjust --tax
 * INPUT2)": hand-coded-description.ts) and takes that flow's rule in force on the entry's date, whatever its account.
 * An entry whose lines kept their treatment when booked (issue 82) is read as booked, never coded again from today's
 * chart: a re-map after a return was filed leaves its lines as they were.
 */
export function lineTaxCodes(
  entry: {
    sourceId: string;
    date: string;
    lines: readonly {
      account: string;
      cents: bigint;
      description?: string | undefined;
      tax?: BookedTaxField | undefined;
    }[];
  },
  chart: TaxChart,
  flows: TaxFlows,
): (LineTaxCode | undefined)[] {
  if (bookedWithTreatment(entry.lines)) return entry.lines.map((line) => bookedCode(line.tax, entry, flows));
  const byLine = taxedLines(chart, flows);
  return entry.lines.map((line) => {
    // A line a person coded (`adjust --tax`) names its flow; any other is told by its account and direction.
    const handCoded = handCodedFlow(line.description);
    const kind = handCoded ?? byLine.get(`${line.cents < 0n ? 'credit' : 'debit'} ${line.account}`);
    const originalDate = originalDateOf(line.description);
    const found =
      kind === undefined
        ? undefined
        : handCoded !== undefined
          ? handCodedRule(handCoded, entry, flows)
          : lineRule(kind, { ...entry, originalDate }, chart, flows);
    if (kind === undefined || found === undefined) return undefined;
    const { rule, reverses } = found;
    return {
      code: rule.code,
      kind,
      ...(reverses === undefined ? {} : { reverses }),
      ...(rule.name === undefined ? {} : { name: rule.name }),
      ...(rule.rate === undefined ? {} : { rate: rule.rate }),
      ...(rule.reverseCharge === true ? { reverseCharge: true } : {}),
    };
  });
}

/** The rule in force of the flow a line coded by hand names, adjusting entries taking the general rules. */
function handCodedRule(
  kind: TaxFlowKey,
  entry: { sourceId: string; date: string },
  flows: TaxFlows,
): { rule: TaxRule; reverses?: EventKind } | undefined {
  const rule = ruleInForce(flows[kind] ?? [], entry.sourceId, entry.date, true);
  return rule === undefined ? undefined : { rule };
}

/**
 * Whose codes a destination's rules are written in (issue 82), riding on them under this symbol: the ledger's mapped
 * through its `taxCodes:` (a code not listed passes as written), or its own `tax:` (issue 54). Rules without it are the ledger's own: the chart's, which `vat` and the tie-out read.
 */
const DESTINATION_CODES: unique symbol = Symbol('destination tax codes');
type DestinationCodes = { mapped: Readonly<Record<string, string>> } | { own: true };
type FlowsWithCodes = TaxFlows & { readonly [DESTINATION_CODES]?: DestinationCodes | undefined };

/** `flows` marked as a destination's (see DESTINATION_CODES). */
export function withDestinationCodes(flows: TaxFlows, codes: DestinationCodes): TaxFlows {
  Object.defineProperty(flows, DESTINATION_CODES, { value: codes, enumerable: false });
  return flows;
}

/**
 * A booked line's code as `flows` write it: the ledger's code as booked, mapped through a destination's `taxCodes:`;
 * with a destination's own `tax:` (a legacy section, its codes its own), the booked code itself when one of its rules
 * for the line's flow (or the flow it reverses) writes it, so a rule changed or re-scoped since never recodes what was
 * booked; else its rule in force for that flow. Example: booked REVERSECHARGES, quickbooks.yaml taxCodes
 * { REVERSECHARGES: "20.0% RC SG" } → "20.0% RC SG"; booked REVERSECHARGES on 03-31, quickbooks.yaml's own order_charge
 * INPUT2 from 04-01 → REVERSECHARGES for that line, whenever it is sent.
 */
function bookedCode(
  tax: BookedTaxField | undefined,
  entry: { sourceId: string; date: string },
  flows: TaxFlows,
): LineTaxCode | undefined {
  if (tax === undefined || tax === null) return undefined;
  const codes = (flows as FlowsWithCodes)[DESTINATION_CODES];
  const ownRules =
    codes !== undefined && 'own' in codes
      ? [tax.flow, tax.reverses].flatMap((flow) => (flow === undefined ? [] : (flows[flow as TaxFlowKey] ?? [])))
      : [];
  const asBooked = ownRules.some((rule) => rule.code === tax.code);
  const own =
    ownRules.length > 0 && !asBooked
      ? ruleInForce(flows[(tax.reverses ?? tax.flow) as TaxFlowKey] ?? [], entry.sourceId, entry.date, true)
      : undefined;
  const code = own?.code ?? (codes !== undefined && 'mapped' in codes ? codes.mapped[tax.code] : undefined) ?? tax.code;
  return {
    code,
    kind: tax.flow as TaxFlowKey,
    ...(tax.reverses === undefined ? {} : { reverses: tax.reverses as EventKind }),
    ...((own?.name ?? tax.name) === undefined ? {} : { name: own?.name ?? tax.name }),
    ...(tax.rate === undefined ? {} : { rate: tax.rate }),
    ...(tax.reverseCharge ? { reverseCharge: true } : {}),
  };
}

/** The rule a line of `kind` takes: its own in force, else (a reversal) its original's on the original's date. */
function lineRule(
  kind: TaxFlowKey,
  entry: { sourceId: string; date: string; originalDate?: string | undefined },
  chart: TaxChart,
  flows: TaxFlows,
): { rule: TaxRule; reverses?: EventKind } | undefined {
  if (kind === BANK_FEES_ACCOUNT) {
    const rule = ruleInForce(flows[kind] ?? [], entry.sourceId, entry.date, true);
    return rule === undefined ? undefined : { rule };
  }
  const own = ruleInForce(flows[kind] ?? [], entry.sourceId, entry.date);
  if (own !== undefined) return { rule: own };
  const original = reversedFlow(chart, kind);
  if (original === undefined || inheritedOriginal(chart, kind) === undefined) return undefined;
  const rule = ruleInForce(flows[original] ?? [], entry.sourceId, entry.originalDate ?? entry.date);
  return rule === undefined ? undefined : { rule, reverses: original };
}

/**
 * What a tax section cannot mean with this chart: a flow whose rule books to no revenue or expense account (a
 * payout moves money, it is no supply), and two flows that would code the same line (the same account in the
 * same direction), which a daily entry cannot tell apart.
 */
export function taxFlowProblems(chart: TaxChart, flows: TaxFlows): TaxFlowProblem[] {
  const problems: TaxFlowProblem[] = [];
  const claimed = new Map<string, EventKind>();
  for (const kind of taxableKinds(chart)) {
    const rule = chart.events[kind];
    if (flows[kind] === undefined || rule === undefined) continue;
    const sides = taxedSides(rule, chart.profitAndLoss);
    if (sides.length === 0) {
      const accounts = [...sideAccounts(rule.debit), ...sideAccounts(rule.credit)].join(', ');
      problems.push({
        path: `tax.${kind}`,
        message: `${kind} books to no revenue or expense account (${accounts}), so no line of it takes a tax code: remove it from tax:`,
      });
    }
    for (const { account, direction } of sides) {
      const other = claimed.get(`${direction} ${account}`);
      if (other !== undefined) {
        problems.push({
          path: `tax.${kind}`,
          message: `${kind} and ${other} both ${direction} ${account}, so a daily entry's line cannot tell them apart: map the tax code on one of them`,
        });
      }
      claimed.set(`${direction} ${account}`, kind);
    }
  }
  return [...problems, ...bankFeesProblems(chart, flows, claimed)];
}

/** `tax.bank_fees` codes the bank_fees account's lines: it must be an expense (or revenue) account no flow codes. */
function bankFeesProblems(chart: TaxChart, flows: TaxFlows, claimed: ReadonlyMap<string, EventKind>): TaxFlowProblem[] {
  if (flows[BANK_FEES_ACCOUNT] === undefined) return [];
  const path = `tax.${BANK_FEES_ACCOUNT}`;
  if (!chart.profitAndLoss.has(BANK_FEES_ACCOUNT))
    return [
      { path, message: `${BANK_FEES_ACCOUNT} is not a revenue or expense account of the chart: remove it from tax:` },
    ];
  const other = claimed.get(`debit ${BANK_FEES_ACCOUNT}`) ?? claimed.get(`credit ${BANK_FEES_ACCOUNT}`);
  return other === undefined
    ? []
    : [
        {
          path,
          message: `${other} books to ${BANK_FEES_ACCOUNT} too, so its lines cannot tell the two apart: code one of them`,
        },
      ];
}
