import {
  flowSides,
  ownRuleDeparture,
  reversalCoverage,
  type TaxChart,
  type TaxFlows,
  type TaxRule,
} from '../rules/index.js';
import type { OrganisationCheck } from './organisation-check.js';

/**
 * Doctor's line for each coded flow's reversal (issue 70): a clawback, a credit or a refund must reduce the boxes
 * its original increased, at the original's code. Covered by its own rule, or by its original's (it books back the
 * original's line): a pass saying which. Booked elsewhere by the chart with no rule of its own: a warning, since its
 * lines would go out uncoded ("No VAT") and the return would overstate the original's boxes by every reversal.
 * Example: `publisher_earnings: ZERORATEDOUTPUT`, the chart's clawback on clawback_losses → warn, "publisher_clawback
 * reverses publisher_earnings (coded) but books to clawback_losses, not back to its line: its lines go out uncoded".
 */
export function taxReversalChecks(tax: { chart: TaxChart; flows: TaxFlows }, mappingFile: string): OrganisationCheck[] {
  return reversalCoverage(tax.chart, tax.flows).map(({ reversal, original, coverage, accounts }) => {
    const subject = `the reversal ${reversal} of ${original}`;
    if (coverage === 'own') return ownRuleCheck(tax.flows, { reversal, original, subject }, mappingFile);
    if (coverage === 'inherited')
      return {
        kind: 'tax',
        status: 'pass',
        subject,
        detail: `takes the code of tax.${original} in force on the original's date (it books back to ${accounts.join(', ')})`,
      };
    return {
      kind: 'tax',
      status: 'warn',
      subject,
      detail:
        `books to ${accounts.join(', ') || 'no revenue or expense account'}, not back to ${original}'s line, and ` +
        `has no rule of its own: its lines go out uncoded and the return overstates what ${original} put on it`,
      fix: `give it the code of ${original} in tax.${reversal} of ${mappingFile} (your accountant's call)`,
      where: { file: mappingFile, path: `tax.${reversal}` },
    };
  });
}

/**
 * A reversal coded by its own rule (issue 83): a pass while that rule codes as its original's in force does, on every
 * day either's rules begin; else a warning naming both rules and the day, since from it a reversal is booked unlike
 * its original. Example: order_charge [REVERSECHARGES, { INPUT2, from: 2026-05-03 }], order_refund [REVERSECHARGES] →
 * "! … its own rule tax.order_refund (REVERSECHARGES) differs from tax.order_charge[1].code (INPUT2), in force for
 * order_charge from 2026-05-03: order_refund lines from 2026-05-03 are booked REVERSECHARGES, not as the order_charge
 * they reverse".
 */
function ownRuleCheck(
  flows: TaxFlows,
  { reversal, original, subject }: { reversal: string; original: string; subject: string },
  mappingFile: string,
): OrganisationCheck {
  const departure = ownRuleDeparture(flows, reversal, original);
  if (departure === undefined) return { kind: 'tax', status: 'pass', subject, detail: `is coded by tax.${reversal}` };
  const [own, originals] = [flows[reversal] ?? [], flows[original] ?? []];
  const ownPath = taxRulePath(reversal, own, own.indexOf(departure.own));
  const when =
    (departure.from === undefined ? 'from the first day' : `from ${departure.from}`) +
    (departure.sourceId === undefined ? '' : ` for source ${departure.sourceId}`);
  const originalPath = departure.original && taxRulePath(original, originals, originals.indexOf(departure.original));
  const theirs =
    departure.original === undefined
      ? `${original}, which has no rule in force ${when}`
      : `${originalPath} (${departure.original.code}), in force for ${original} ${when}`;
  return {
    kind: 'tax',
    status: 'warn',
    subject,
    detail:
      `its own rule ${ownPath} (${departure.own.code}) differs from ${theirs}: ${reversal} lines ${when} are booked ` +
      `${departure.own.code}, not as the ${original} they reverse`,
    fix:
      `remove ${ownPath}, so that ${reversal} takes the code of tax.${original} in force on the original's date, ` +
      `or give it the same rule ${when} (your accountant's call)`,
    where: { file: mappingFile, path: ownPath },
  };
}

/** One rule of a flow and where the mapping file writes it: `tax.order_charge` for a lone code, `tax.order_charge[1].code` in a list. */
export function taxRulePath(kind: keyof TaxFlows, rules: readonly TaxRule[], index: number): string {
  const only = rules.length === 1 && rules[0]?.from === undefined && rules[0]?.source === undefined;
  return only ? `tax.${kind}` : `tax.${kind}[${index}].code`;
}

/**
 * Each account a rule of the tax section codes, with the rule and where the mapping file writes it: what the
 * destinations' tax checks weigh, one check each. Example: `order_charge: INPUT2` on a flow booked to
 * smm_services_expense and panel_prepaid → two, both at `tax.order_charge`; `bank_fees: EXEMPTINPUT`, which codes
 * bank_fees both ways → one.
 */
export function codedFlowSides(tax: {
  chart: TaxChart;
  flows: TaxFlows;
}): { kind: keyof TaxFlows; rule: TaxRule; account: string; path: string }[] {
  return (Object.entries(tax.flows) as [keyof TaxFlows, readonly TaxRule[]][]).flatMap(([kind, rules]) => {
    // Each account once: bank_fees codes its account both ways (a charge and its refund), one check for it.
    const accounts = [...new Set(flowSides(tax.chart, kind).map(({ account }) => account))];
    return rules.flatMap((rule, index) =>
      accounts.map((account) => ({ kind, rule, account, path: taxRulePath(kind, rules, index) })),
    );
  });
}
