import { z } from 'zod';
import { formatCents, parseScaled } from '../../money/index.js';
import {
  inclusiveTax,
  lineTaxCodes,
  parseTaxRate,
  type RenderedEntry,
  type TaxChart,
  type TaxFlows,
} from '../../rules/index.js';
import { centsAsJsonNumber } from '../delivery/cents-number.js';
import type { OrganisationCheck } from '../organisation-check.js';
import { codedFlowSides, taxReversalChecks } from '../tax-reversal-checks.js';

/**
 * Tax codes on QuickBooks journal lines (issue 54), for a company outside the US: each line a flow of
 * quickbooks.yaml's `tax:` codes carries `TaxCodeRef` and `TaxApplicableOn` (Sales on an income account,
 * Purchase on an expense one), and the entry `GlobalTaxCalculation: TaxInclusive` (the ledger's amounts are what
 * was paid, tax included). Every other income or expense line carries `untaxedCode` when one is given: a UK
 * company refuses such a line without a code (6000). A US company has no tax code on journal lines (Automated
 * Sales Tax): nothing is sent, as without a tax section, and `doctor` says why.
 */
export interface QuickbooksTaxSetup {
  flows: TaxFlows;
  chart: TaxChart;
  /** The ledger's income accounts (TaxApplicableOn: Sales); the other profit-and-loss accounts are purchases. */
  revenue: ReadonlySet<string>;
  /** quickbooks.yaml `untaxedCode`: the code of every other income or expense line ("No VAT"). */
  untaxedCode?: string | undefined;
}

/** A TaxCode as the company lists it, each side's rates with their RateValue in percent (decimal text). */
export interface QuickbooksTaxCodeFact {
  id: string;
  name: string;
  active: boolean;
  sales: readonly string[];
  purchase: readonly string[];
}

const rateList = z.lazy(() =>
  z.object({ TaxRateDetail: z.array(z.object({ TaxRateRef: z.object({ value: z.string() }) })).optional() }).optional(),
);
export const quickbooksTaxCodeReplySchema = z.lazy(() =>
  z.object({
    QueryResponse: z.object({
      TaxCode: z
        .array(
          z.object({
            Id: z.string(),
            Name: z.string(),
            Active: z.boolean().optional(),
            SalesTaxRateList: rateList,
            PurchaseTaxRateList: rateList,
          }),
        )
        .optional(),
    }),
  }),
);
export const quickbooksTaxRateReplySchema = z.lazy(() =>
  z.object({
    QueryResponse: z.object({
      TaxRate: z.array(z.object({ Id: z.string(), RateValue: z.string().optional() })).optional(),
    }),
  }),
);

/** The company's codes with each side's rates, from the TaxCode and TaxRate queries. */
export function readTaxCodeFacts(
  codes: z.output<typeof quickbooksTaxCodeReplySchema>,
  rates: z.output<typeof quickbooksTaxRateReplySchema>,
): QuickbooksTaxCodeFact[] {
  const percent = new Map((rates.QueryResponse.TaxRate ?? []).map((rate) => [rate.Id, rate.RateValue ?? '0']));
  const side = (list: z.output<typeof rateList>) =>
    (list?.TaxRateDetail ?? []).map((detail) => percent.get(detail.TaxRateRef.value) ?? '0');
  return (codes.QueryResponse.TaxCode ?? []).map((code) => ({
    id: code.Id,
    name: code.Name,
    active: code.Active ?? true,
    sales: side(code.SalesTaxRateList),
    purchase: side(code.PurchaseTaxRateList),
  }));
}

/**
 * The tax inside a line of `cents` at a side's rates (inclusiveTax, half to even): the rates are summed (a reverse
 * charge's +20 and −20 give 0), then taken out of the amount. 150.56 at 20 % holds 150.56 × 20/120 = 25.093… → 25.09.
 */
function quickbooksInclusiveTax(cents: bigint, rates: readonly string[]): bigint {
  return inclusiveTax(
    cents,
    rates.reduce((total, percent) => total + parseTaxRate(percent), 0n),
  );
}

/** What a coded line carries. */
export interface QuickbooksLineTax {
  code: QuickbooksTaxCodeFact;
  applicableOn: 'Sales' | 'Purchase';
  taxCents: bigint;
}

/** The code a rule or `untaxedCode` names: its Id, or its Name as QuickBooks shows it ("20.0% S"). */
function findTaxCode(codes: readonly QuickbooksTaxCodeFact[], written: string): QuickbooksTaxCodeFact | undefined {
  return codes.find((code) => code.id === written) ?? codes.find((code) => code.name === written);
}

/**
 * Each line's tax (undefined for a line without a code). Example: the panel's 2026-03-16 entry with
 * `order_charge: "20.0% S"`: Dr smm_services_expense 150.56 → { "20.0% S", Purchase, 25.09 }; Cr panel_prepaid → undefined.
 */
export function quickbooksLineTaxes(
  entry: RenderedEntry,
  setup: QuickbooksTaxSetup,
  codes: readonly QuickbooksTaxCodeFact[],
): (QuickbooksLineTax | undefined)[] {
  const flowCodes = lineTaxCodes(entry, setup.chart, setup.flows);
  return entry.lines.map((line, index) => {
    const written =
      flowCodes[index]?.code ?? (setup.chart.profitAndLoss.has(line.account) ? setup.untaxedCode : undefined);
    const code = written === undefined ? undefined : findTaxCode(codes, written);
    if (code === undefined) return undefined;
    const applicableOn = setup.revenue.has(line.account) ? 'Sales' : 'Purchase';
    const magnitude = line.cents < 0n ? -line.cents : line.cents;
    return {
      code,
      applicableOn,
      taxCents: quickbooksInclusiveTax(magnitude, applicableOn === 'Sales' ? code.sales : code.purchase),
    };
  });
}

/** The fields a coded line adds to its JournalEntryLineDetail. */
export function lineTaxFields(tax: QuickbooksLineTax) {
  return {
    TaxCodeRef: { value: tax.code.id, name: tax.code.name },
    TaxApplicableOn: tax.applicableOn,
    TaxAmount: centsAsJsonNumber(tax.taxCents),
  };
}

/**
 * The checks of quickbooks.yaml's tax codes against the company's TaxCode list, before anything is posted: each
 * code must exist (by Id or by Name as QuickBooks shows it), be active, and have rates on the side its lines
 * take (a sales-only code cannot code a purchase). A US company takes no code on journal lines: one warning.
 * Example: `order_charge: "20.0% S (sales)"` → fail, 'is not a tax code of this company', naming the codes offered.
 */
export function quickbooksTaxChecks(
  facts: { country: string; taxCodes?: readonly QuickbooksTaxCodeFact[] | undefined },
  setup: QuickbooksTaxSetup,
  mappingFile: string,
): OrganisationCheck[] {
  if (facts.country === 'US') {
    return [
      {
        kind: 'tax',
        status: 'warn',
        subject: `the tax section of ${mappingFile}`,
        detail:
          'is not sent: a US company has no tax code on journal entries (sales tax is calculated on sales forms, Automated Sales Tax)',
        fix: 'remove tax: from the mapping, or ask your accountant how sales tax on these flows is reported',
      },
    ];
  }
  const codes = facts.taxCodes ?? [];
  const checks = codedFlowSides(setup).map(({ kind, rule, account, path }) => {
    const side = setup.revenue.has(account) ? 'Sales' : 'Purchase';
    return codeCheck(codes, rule.code, side, `tax code ${rule.code} of ${kind} on ${account}`, {
      file: mappingFile,
      path,
    });
  });
  checks.push(...taxReversalChecks(setup, mappingFile));
  if (setup.untaxedCode !== undefined) {
    for (const side of ['Sales', 'Purchase'] as const)
      checks.push(
        codeCheck(codes, setup.untaxedCode, side, `untaxed code ${setup.untaxedCode} on ${side.toLowerCase()}`, {
          file: mappingFile,
          path: 'untaxedCode',
        }),
      );
  }
  return checks;
}

function codeCheck(
  codes: readonly QuickbooksTaxCodeFact[],
  written: string,
  side: 'Sales' | 'Purchase',
  subject: string,
  where: { file: string; path: string },
): OrganisationCheck {
  const usable = codes
    .filter((code) => code.active && (side === 'Sales' ? code.sales : code.purchase).length > 0)
    .map((code) => `"${code.name}" (id ${code.id})`);
  const fix =
    `put one of its codes in ${where.path} of ${where.file} (QuickBooks offers for ${side.toLowerCase()}: ` +
    `${usable.join(', ') || 'none'}); which one is your accountant's call`;
  const fail = (detail: string): OrganisationCheck => ({ kind: 'tax', status: 'fail', subject, detail, fix, where });
  const code = findTaxCode(codes, written);
  if (code === undefined)
    return fail('is not a tax code of this company (write its Id or its Name as QuickBooks shows it under Taxes)');
  if (!code.active) return fail(`is "${code.name}", which is inactive in QuickBooks`);
  if ((side === 'Sales' ? code.sales : code.purchase).length === 0)
    return fail(`is "${code.name}", which has no ${side.toLowerCase()} rate in QuickBooks`);
  return {
    kind: 'tax',
    status: 'pass',
    subject,
    detail: `"${code.name}", active, has a ${side.toLowerCase()} rate`,
  };
}

/** A created entry's lines as the exact reader gives them: numbers stay decimal text. */
const createdLineSchema = z.lazy(() =>
  z.object({
    JournalEntryLineDetail: z
      .object({ AccountRef: z.object({ value: z.string() }).optional(), TaxAmount: z.string().optional() })
      .optional(),
  }),
);

/**
 * The tax tie-out of a created journal entry, line by line: the TaxAmount QuickBooks stored against the tax the
 * ledger computed for the same line. Each difference is one sentence naming the entry, the line, the code and
 * both figures.
 */
export function quickbooksTaxDifferences(
  entryId: string,
  created: unknown,
  expected: readonly (QuickbooksLineTax | undefined)[],
): string[] {
  const lines = z.object({ Line: z.array(createdLineSchema).optional() }).safeParse(created);
  if (!lines.success) return [];
  const differences: string[] = [];
  (lines.data.Line ?? []).forEach((line, index) => {
    const tax = expected[index];
    if (tax === undefined) return;
    const stored = parseScaled(line.JournalEntryLineDetail?.TaxAmount ?? '0', 2);
    if (stored === tax.taxCents) return;
    differences.push(
      `QuickBooks stores ${formatCents(stored)} of "${tax.code.name}" tax on line ${index + 1} (account ` +
        `${line.JournalEntryLineDetail?.AccountRef?.value ?? '?'}) of ${entryId}; the ledger computes ` +
        `${formatCents(tax.taxCents)}: check the code's rates in QuickBooks (Taxes) before the return is filed`,
    );
  });
  return differences;
}
