import { REVERSED_FLOW, type BuiltInEventKind } from '../rules/index.js';

/** The regions `init --for xero|quickbooks --region` writes a tax section for (issue 54); cli/commands/init.ts lists them. */
type TaxRegion = 'uk' | 'eu' | 'au' | 'nz' | 'us';

/** What each flow usually takes, per region and destination, as commented lines of `tax:`: the accountant decides. */
const USUAL: Record<
  Exclude<TaxRegion, 'us'>,
  { why: string; xero: string[]; quickbooks: string[]; quickbooksUntaxed: string }
> = {
  uk: {
    quickbooksUntaxed: '"No VAT"',
    why:
      'ad income from a network abroad is outside the scope of UK VAT but goes in box 6 (zero-rated ' +
      'code); services bought from a panel abroad are reverse-charged (boxes 1 and 4 cancel, 6 and 7)',
    xero: [
      'publisher_earnings: [{ code: ZERORATEDOUTPUT, rate: 0, name: Zero Rated Income }]',
      'order_charge: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true, name: Reverse Charge Expenses (20%) }]',
      'advertiser_spend: [{ code: REVERSECHARGES, rate: 20, reverseCharge: true, name: Reverse Charge Expenses (20%) }]',
      'bank_fees: [{ code: EXEMPTINPUT, rate: 0, name: Exempt Expenses }]',
    ],
    quickbooks: [
      'publisher_earnings: [{ code: "0.0% Z", rate: 0 }]',
      'order_charge: [{ code: "20.0% RC SG", rate: 20, reverseCharge: true }]',
      'advertiser_spend: [{ code: "20.0% RC SG", rate: 20, reverseCharge: true }]',
      'bank_fees: [{ code: Exempt, rate: 0 }]',
    ],
  },
  eu: {
    quickbooksUntaxed: 'YOUR-NO-VAT-CODE',
    why:
      'services from another member state or from abroad are reverse-charged by the buyer (Article ' +
      '196); ad income from a network in another member state is reported as a service supplied abroad; ' +
      'the codes are your organisation’s own (doctor lists them)',
    xero: [
      'publisher_earnings: [{ code: YOUR-EU-SERVICES-SALES-CODE, rate: 0 }]',
      'order_charge: [{ code: YOUR-REVERSE-CHARGE-CODE, rate: 0 }]',
    ],
    quickbooks: [
      'publisher_earnings: [{ code: YOUR-EU-SERVICES-SALES-CODE, rate: 0 }]',
      'order_charge: [{ code: YOUR-REVERSE-CHARGE-CODE, rate: 0 }]',
    ],
  },
  au: {
    quickbooksUntaxed: 'YOUR-OUT-OF-SCOPE-CODE',
    why:
      'services exported to a non-resident are GST-free; GST does not apply to imported services ' +
      'bought by a GST-registered business for fully creditable purposes (ATO), so they are left ' +
      'off the BAS unless your accountant says otherwise',
    xero: [
      'publisher_earnings: [{ code: EXEMPTOUTPUT, rate: 0, name: GST Free Income }]',
      'order_charge: [{ code: BASEXCLUDED, rate: 0, name: BAS Excluded }]',
      'bank_fees: [{ code: INPUTTAXED, rate: 0, name: Input Taxed }]',
    ],
    quickbooks: [
      'publisher_earnings: [{ code: YOUR-GST-FREE-CODE, rate: 0 }]',
      'order_charge: [{ code: YOUR-OUT-OF-SCOPE-CODE, rate: 0 }]',
    ],
  },
  nz: {
    quickbooksUntaxed: 'YOUR-NO-GST-CODE',
    why:
      'services supplied to a non-resident are usually zero-rated; imported services take GST by ' +
      'reverse charge only when less than 95 % of your supplies are taxable',
    xero: [
      'publisher_earnings: [{ code: ZERORATED, rate: 0, name: Zero Rated }]',
      'order_charge: [{ code: NONE, rate: 0, name: No GST }]',
      'bank_fees: [{ code: NONE, rate: 0, name: No GST }]',
    ],
    quickbooks: [
      'publisher_earnings: [{ code: YOUR-ZERO-RATED-CODE, rate: 0 }]',
      'order_charge: [{ code: YOUR-NO-GST-CODE, rate: 0 }]',
    ],
  },
};

/**
 * The commented tax section `init --for DESTINATION --region REGION [--vat-registered]` appends to the destination's
 * mapping file: which code each flow usually takes there, for the accountant to confirm and uncomment. A business
 * not registered for VAT/GST, and a US one (sales tax is state law; a QuickBooks JournalEntry takes no US tax
 * code), are told to leave `tax:` out, so their journals post with no tax, as before. For a `rehearsal` against the
 * sandbox playing the region (`init --sandbox-url … --region uk --vat-registered`), the section is written live, so
 * doctor and post check and send its codes; one still holding a placeholder (YOUR-…) stays commented.
 */
export function regionTaxSection(
  destination: 'xero' | 'quickbooks',
  region: string,
  registered: boolean,
  rehearsal = false,
): string {
  const head =
    `\n# Tax for a business registered in ${region.toUpperCase()} (written by init --region ` +
    `${region}${registered ? ' --vat-registered' : ''}).\n# Your accountant decides which code ` +
    `each flow takes; \`ledgerline doctor --to ${destination}\` checks each against the ` +
    `${destination === 'xero' ? 'organisation' : 'company'}.\n`;
  if (region === 'us')
    return `${head}# US: sales tax is state law and these flows are usually not taxable; leave tax: out (no code, as before).\n`;
  if (!registered)
    return `${head}# Not registered for VAT/GST: leave tax: out, and journals post with no tax code, as before.\n`;
  const usual = USUAL[region as Exclude<TaxRegion, 'us'>];
  const codes = withReversals(destination === 'xero' ? usual.xero : usual.quickbooks);
  const untaxed =
    destination === 'quickbooks'
      ? [`# untaxedCode: ${usual.quickbooksUntaxed}   # every other income or expense line (rounding, …)`]
      : [];
  const live = rehearsal && ![...codes, ...untaxed].some((line) => line.includes('YOUR-'));
  const section = ['tax:', ...codes.map((line) => `  ${line}`), ...untaxed.map((line) => line.replace(/^# /, ''))];
  return (
    `${head}# Usually: ${usual.why}.\n# ${REVERSALS_NOTE}\n` +
    (live ? '# Written live for a rehearsal against the sandbox: doctor checks these codes against its fakes.\n' : '') +
    section.map((line) => (live ? line : `# ${line}`)).join('\n') +
    '\n'
  );
}

const REVERSALS_NOTE =
  'Each reversal takes the code of the flow it reverses (a clawback as the earnings, a refund as the charge), so ' +
  'the return is reduced where it was increased; bank_fees codes the bank’s charges (financial services).';

/**
 * The proposed flows with each one's reversal coded as it is (REVERSED_FLOW): a clawback of zero-rated earnings is
 * zero-rated, so box 6 goes down by it. Example: "order_charge: [{ code: REVERSECHARGES, … }]" → that line, then
 * "order_refund: [{ code: REVERSECHARGES, … }]".
 */
function withReversals(lines: readonly string[]): string[] {
  return lines.flatMap((line) => {
    const flow = line.slice(0, line.indexOf(':'));
    const reversals = (Object.entries(REVERSED_FLOW) as [BuiltInEventKind, BuiltInEventKind][])
      .filter(([, original]) => original === flow)
      .map(([reversal]) => `${reversal}${line.slice(flow.length)}`);
    return [line, ...reversals];
  });
}
