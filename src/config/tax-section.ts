import { z } from 'zod';
import {
  BANK_FEES_ACCOUNT,
  isCalendarDate,
  VAT_INPUT_ACCOUNT,
  VAT_OUTPUT_ACCOUNT,
  withDestinationCodes,
  type TaxBook,
  type TaxChart,
  type TaxFlows,
} from '../rules/index.js';
import { ACCOUNT_KEY, nonEmptyText, sourceId } from './field-schemas.js';
import type { ConfigProblem } from '../errors.js';
import { valueAt } from './key-path.js';
import type { Chart } from './mappings-loader.js';
import type { ChartAccount } from './mappings-schema.js';
import type { YamlFile } from './yaml-file.js';
import { parseAt, problemAt } from './zod-problems.js';

/** A rate in percent as decimal text: 20, 12.5, 0, 100 (never above). */
const RATE_TEXT = /^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/;

/** One dated rule of a flow: `{ code: INPUT2, from: 2026-03-15 }`, optionally for one source. */
const taxRuleSchema = z.lazy(() =>
  z.strictObject({
    code: nonEmptyText().max(50, 'must be at most 50 characters (a tax code, not a rate name)'),
    from: z.string().refine(isCalendarDate, 'must be a date written YYYY-MM-DD').optional(),
    source: sourceId.optional(),
    /** The rate's display name for the Xero CSV import ("Reverse Charge Expenses (20%)"); the API takes the code. */
    name: nonEmptyText().max(100, 'must be at most 100 characters').optional(),
    /** The code's rate in percent (`rate: 20`; 0 for a zero rate): the ledger's own tax, tied out against the destination's. */
    rate: z
      .union([z.string(), z.number()])
      .transform((value) => String(value))
      .refine((value) => RATE_TEXT.test(value), 'must be a percent from 0 to 100, at most 4 decimals (20, 12.5, 0)')
      .optional(),
    /**
     * A reverse charge (issue 70): the line stays whole and the ledger books both legs of `rate`, which cancel. A
     * destination's file is read with every value as text, so there it is the text "true".
     */
    reverseCharge: z
      .union([z.boolean(), z.enum(['true', 'false'])], 'must be true or false')
      .transform((value) => value === true || value === 'true')
      .optional(),
  }),
);

/** `order_charge: REVERSECHARGES` is the one-rule form of `order_charge: [{ code: REVERSECHARGES }]`. */
const flowSchema = z.lazy(() =>
  z
    .preprocess(
      (value) => (typeof value === 'string' ? [{ code: value }] : value),
      z
        .array(taxRuleSchema, 'must be a tax code or a list of { code, from, source }')
        .min(1, 'must give at least one rule'),
    )
    .superRefine((rules, context) => {
      const seen = new Set<string>();
      rules.forEach((rule, index) => {
        const key = `${rule.source ?? ''} ${rule.from ?? ''}`;
        if (seen.has(key)) {
          context.addIssue({
            code: 'custom',
            path: [index],
            message:
              `repeats another rule of the same ${rule.source === undefined ? 'flow' : `source (${rule.source})`} ` +
              `from the same date${rule.from === undefined ? ' (none)' : ` (${rule.from})`}: give each rule its own from:`,
          });
        }
        seen.add(key);
      });
    }),
);

/**
 * A mapping file's `tax:` section (issue 54): per event kind, the destination's tax code for the line that books
 * it to revenue or expense, optionally dated and per source (see rules' lineTaxCodes). Left out, no line carries
 * a code and every request is as it was. A destination's file is read before the chart's kinds are known: the
 * mappings loader holds its keys to the chart's (destinationTaxProblems).
 *
 * `bank_fees` codes every line on that account (accepted transit differences and `adjust` entries included).
 *
 *   tax:
 *     publisher_earnings: ZERORATEDOUTPUT
 *     bank_fees: EXEMPTINPUT
 *     order_charge:
 *       - { code: REVERSECHARGES }
 *       - { code: INPUT2, from: 2026-03-15 }
 */
export const taxSection = z.lazy(() =>
  z
    .record(
      z.string().regex(ACCOUNT_KEY, 'an event kind is lower-case letters, digits and _, starting with a letter'),
      flowSchema,
    )
    .transform((flows): TaxFlows => flows),
);

/** A `tax:` section whose keys may be the chart's taxable event kinds (`taxable`: its file's, then the declared) and `bank_fees`. */
function flowsSection(taxable: readonly string[]) {
  return z
    .partialRecord(
      z.enum([...taxable, BANK_FEES_ACCOUNT], {
        error: `must be an event kind of the chart (${taxable.join(', ')}) or ${BANK_FEES_ACCOUNT}`,
      }),
      flowSchema,
    )
    .transform((flows): TaxFlows => flows);
}

/** The keys of a destination's `tax:` that are not the chart's taxable event kinds (`taxable`) or bank_fees, each with its problem, as the chart's own are refused. */
export function destinationTaxProblems(
  tax: Readonly<Record<string, unknown>>,
  taxable: readonly string[],
): { path: string[]; message: string }[] {
  const keys = Object.keys(tax).filter((key) => key !== BANK_FEES_ACCOUNT && !taxable.includes(key));
  return keys.map((key) => ({
    path: ['tax', key],
    message: `must be an event kind of the chart (${taxable.join(', ')}) or ${BANK_FEES_ACCOUNT}`,
  }));
}

/** The chart as tax coding reads it: the event rules, and the accounts of type revenue or expense. */
export function taxChartOf(chart: Pick<Chart, 'accounts' | 'events' | 'taxFlows'>): TaxChart {
  const profitAndLoss = accountsOfType(chart, 'revenue', 'expense');
  return { events: chart.events, profitAndLoss, ...(chart.taxFlows === undefined ? {} : { taxable: chart.taxFlows }) };
}

/** The keys of the chart's accounts of the types given. */
function accountsOfType(chart: Pick<Chart, 'accounts'>, ...types: ChartAccount['type'][]): Set<string> {
  return new Set(Object.keys(chart.accounts).filter((key) => types.includes(chart.accounts[key]!.type)));
}

/**
 * The chart's own tax book (issue 70), from mappings/default.yaml's `tax:` (the same shape as a destination's, each
 * rule with the ledger's code and its rate): what journalizing books the tax by. None without a `tax:` section, or
 * without the two VAT accounts.
 */
export function chartTaxBook(chart: Pick<Chart, 'accounts' | 'events' | 'tax' | 'taxFlows'>): TaxBook | undefined {
  // A chart copied before it had VAT accounts books no tax (a destination's rules still code its lines).
  if (chart.tax === undefined || chart.accounts[VAT_OUTPUT_ACCOUNT] === undefined) return undefined;
  if (chart.accounts[VAT_INPUT_ACCOUNT] === undefined) return undefined;
  return { flows: chart.tax, chart: taxChartOf(chart), revenue: accountsOfType(chart, 'revenue') };
}

/**
 * The chart's `tax:` read from its file, undefined without one (its keys the chart's taxable event kinds, `taxable`,
 * and bank_fees), with the VAT accounts its rated rules book to; problems added to `problems`.
 */
export function chartTax(
  yaml: YamlFile,
  { accountKeys, taxable }: { accountKeys: ReadonlySet<string>; taxable: readonly string[] },
  problems: ConfigProblem[],
): TaxFlows | undefined {
  if (valueAt(yaml.value, ['tax']) === undefined) return undefined;
  const flows = parseAt(flowsSection(taxable), valueAt(yaml.value, ['tax']), yaml, ['tax'], problems);
  if (flows === undefined) return undefined;
  for (const problem of chartTaxProblems(flows, accountKeys))
    problems.push(problemAt(yaml, problem.path.split('.'), problem.message));
  return flows;
}

/** What the chart's `tax:` needs of its accounts: a rule with a rate books to the two VAT accounts, so both exist. */
function chartTaxProblems(tax: TaxFlows, accountKeys: ReadonlySet<string>): { path: string; message: string }[] {
  const rated = Object.values(tax).some((rules) => rules?.some((rule) => rule.rate !== undefined));
  if (!rated) return [];
  return [VAT_OUTPUT_ACCOUNT, VAT_INPUT_ACCOUNT]
    .filter((account) => !accountKeys.has(account))
    .map((account) => ({
      path: `accounts.${account}`,
      message: `is required by tax: (a rule with a rate books its tax to ${account}): add it, e.g. { type: liability, name: VAT }`,
    }));
}

/**
 * A destination's `taxCodes:` (issue 70): the ledger's tax code (the chart's `tax:`) → the destination's own, Xero's
 * TaxType or a QuickBooks TaxCode's Id or Name: `{ OUTPUT2: "20.0% S", REVERSECHARGES: "20.0% RC SG" }`.
 */
export const taxCodesSection = z.lazy(() =>
  z.record(
    nonEmptyText().max(50, 'must be at most 50 characters (a tax code)'),
    nonEmptyText().max(100, "must be at most 100 characters (a tax code's Id or Name)"),
  ),
);

/**
 * The rules a destination codes its lines by: its own `tax:` as written (issue 54, each code the destination's own),
 * else the chart's rules with each ledger code mapped through its `taxCodes:` (a code not listed passes as written);
 * none when neither the destination nor the chart has any. Example: chart order_charge → REVERSECHARGES, quickbooks.yaml
 * taxCodes { REVERSECHARGES: "20.0% RC SG" } → QuickBooks' order_charge rule codes "20.0% RC SG", rate and dates kept.
 */
export function destinationTaxFlows(
  settings: { tax?: TaxFlows | undefined; taxCodes?: Readonly<Record<string, string>> | undefined },
  chart: Pick<Chart, 'tax'>,
): TaxFlows | undefined {
  // Marked whose codes they are, so a line read as booked (issue 82) goes out in the destination's codes.
  if (settings.tax !== undefined) return withDestinationCodes({ ...settings.tax }, { own: true });
  if (chart.tax === undefined) return undefined;
  const codes = settings.taxCodes ?? {};
  const flows = Object.fromEntries(
    Object.entries(chart.tax).map(([kind, rules]) => [
      kind,
      (rules ?? []).map((rule) => ({ ...rule, code: codes[rule.code] ?? rule.code })),
    ]),
  ) as TaxFlows;
  return withDestinationCodes(flows, { mapped: codes });
}
