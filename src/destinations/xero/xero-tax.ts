import { z } from 'zod';
import { ConfigError } from '../../errors.js';
import { formatCents } from '../../money/index.js';
import { centsFromJsonNumber } from '../delivery/cents-number.js';
import { journalLineReplySchema } from './xero-replies.js';
import {
  exclusiveTax,
  inclusiveTax,
  lineTaxCodes,
  taxFlowProblems,
  type RenderedEntry,
  type TaxChart,
  type TaxFlows,
} from '../../rules/index.js';
import type { BankDocumentRequest } from '../bank-document-client.js';

/** mappings/xero.yaml's `tax:` flows with the chart they read (issue 54); absent, no line carries a flow's code. */
export interface XeroTaxSetup {
  flows: TaxFlows;
  chart: TaxChart;
}

/** Each line's TaxType from the flows (undefined where no flow codes it), or undefined without a tax section. */
export function xeroLineTaxTypes(
  entry: RenderedEntry,
  tax: XeroTaxSetup | undefined,
): (string | undefined)[] | undefined {
  if (tax === undefined) return undefined;
  return lineTaxCodes(entry, tax.chart, tax.flows).map((found) => found?.code);
}

/**
 * The TaxType of a bank-side document's one line: the code the ledger counts its other line under, as a journal's
 * line of the same entry would carry it (xeroLineTaxTypes), or undefined when none codes it (a payout's or top-up's
 * clearing account, or no tax section). The one place a document's code is looked up (issue 82). Example: the
 * adjusting entry of a 9.00 bank charge, Dr bank_fees / Cr bank (kind topup: SPEND), `tax.bank_fees` INPUT2 → INPUT2.
 */
export function xeroBankDocumentTaxType(
  request: Pick<BankDocumentRequest, 'sourceId' | 'date' | 'clearingAccount' | 'kind' | 'amount'>,
  tax: XeroTaxSetup | undefined,
): string | undefined {
  if (request.sourceId === undefined) return undefined;
  // The other line is a debit when the money went out of the bank (a top-up's way), a credit when it came in.
  const cents = request.kind === 'topup' ? request.amount : -request.amount;
  const entry = { id: '', description: '', eventIds: [], sourceId: request.sourceId, date: request.date };
  return xeroLineTaxTypes({ ...entry, lines: [{ account: request.clearingAccount, currency: '', cents }] }, tax)?.[0];
}

/** Refuses a tax section the chart cannot give a meaning to (taxFlowProblems), naming the file and the key. */
export function assertTaxFlows(tax: XeroTaxSetup | undefined, mappingFile: string): void {
  if (tax === undefined) return;
  const problems = taxFlowProblems(tax.chart, tax.flows);
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => ({ file: mappingFile, ...problem })));
}

/**
 * The tax Xero stores on one journal line, in cents, signed like the line, at the rate's EffectiveRate (GET
 * TaxRates; a reverse charge's is 0, its two components cancelling): Inclusive takes it out of the amount
 * (−120.00 at 20 % holds −20.00; 100.01 at 20 % holds 16.668… → 16.67), Exclusive adds it on top (100.00 at 20 %
 * → 20.00), NoTax carries none. Each line on its own, rounded to the cent half to even: whether Xero rounds a
 * half cent to even or away from zero on a manual journal is not published [U]; the fake does the same.
 */
export function xeroLineTax(
  cents: bigint,
  effectiveRate: string,
  lineAmountTypes: 'Inclusive' | 'Exclusive' | 'NoTax',
): bigint {
  if (lineAmountTypes === 'NoTax') return 0n;
  return lineAmountTypes === 'Exclusive' ? exclusiveTax(cents, effectiveRate) : inclusiveTax(cents, effectiveRate);
}

const createdSchema = z.object({
  manualJournals: z
    .array(
      z.object({
        narration: z.string().nullish(),
        lineAmountTypes: z.string().nullish(),
        journalLines: z.array(journalLineReplySchema).nullish(),
      }),
    )
    .nullish(),
});

/**
 * The tax tie-out of a create, line by line: the TaxAmount Xero stored against the tax the ledger computes for
 * the same line (xeroLineTax at the rate's EffectiveRate from GET TaxRates). Each difference is one sentence:
 * 'Xero stores 25.10 of INPUT2 tax on line 1 (account 410) of "smm-panel 2026-03-16 [je:smm-panel:2026-03-16]";
 * the ledger computes 25.09: …'. A line whose rate Xero gave no EffectiveRate for is not compared.
 */
export function xeroTaxDifferences(
  body: unknown,
  rates: readonly { taxType: string; effectiveRate?: string | undefined }[],
): string[] {
  const parsed = createdSchema.safeParse(body);
  if (!parsed.success) return [];
  const differences: string[] = [];
  for (const journal of parsed.data.manualJournals ?? []) {
    const amounts =
      journal.lineAmountTypes === 'Inclusive' || journal.lineAmountTypes === 'Exclusive'
        ? journal.lineAmountTypes
        : 'NoTax';
    (journal.journalLines ?? []).forEach((line, index) => {
      const rate = rates.find((candidate) => candidate.taxType === line.taxType)?.effectiveRate;
      if (rate === undefined || line.lineAmount == null) return;
      const expected = xeroLineTax(centsFromJsonNumber(line.lineAmount), rate, amounts);
      const stored = line.taxAmount == null ? 0n : centsFromJsonNumber(line.taxAmount);
      if (stored === expected) return;
      differences.push(
        `Xero stores ${formatCents(stored)} of ${line.taxType ?? ''} tax on line ${index + 1} (account ` +
          `${line.accountCode ?? '?'}) of "${journal.narration ?? ''}"; the ledger computes ${formatCents(expected)}: ` +
          `check the rate of ${line.taxType ?? ''} in Xero (Settings → Tax rates) before the return is filed`,
      );
    });
  }
  return differences;
}

/** Each destination code's rate as the ledger's rules give it ("0" for a reverse charge, whose legs cancel at Xero). */
export function taxRatesOf(tax: XeroTaxSetup | undefined): ReadonlyMap<string, string> {
  const rates = new Map<string, string>();
  for (const rules of Object.values(tax?.flows ?? {}))
    for (const rule of rules ?? [])
      if (rule.rate !== undefined) rates.set(rule.code, rule.reverseCharge === true ? '0' : rule.rate);
  return rates;
}

/**
 * What a journal's lines leave in the organisation's books (issue 70): an Inclusive coded line's net on its account
 * and its tax (xeroLineTax at the code's rate) on the VAT system account `vatCode`, as Xero's trial balance holds
 * them. Example: 12.28 on 410 at INPUT2 20 % → 410 10.23, 820 2.05. Without a VAT account mapped the tax is left out.
 */
export function xeroBooksOf(
  lines: readonly { account: string; cents: bigint; taxType?: string | undefined }[],
  lineAmountTypes: 'Inclusive' | 'NoTax',
  rates: ReadonlyMap<string, string>,
  vatCode: string | undefined,
): { account: string; cents: bigint }[] {
  return lines.flatMap(({ account, cents, taxType }) => {
    const rate = taxType === undefined ? undefined : rates.get(taxType);
    const tax = rate === undefined ? 0n : xeroLineTax(cents, rate, lineAmountTypes);
    if (tax === 0n) return [{ account, cents }];
    return [{ account, cents: cents - tax }, ...(vatCode === undefined ? [] : [{ account: vatCode, cents: tax }])];
  });
}
