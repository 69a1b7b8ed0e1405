/** The regions `init --region` writes a tax section for (issue 54); cli/commands/init.ts lists them. */
type TaxRegion = 'uk' | 'eu' | 'au' | 'nz' | 'us';

/**
 * A flow's usual rule in a region: the ledger's own neutral code (the chart's `tax:`), its rate, and each
 * destination's own code for it (its `taxCodes:`): Xero's TaxType with the rate's display name (the Xero CSV import
 * matches rates by name), QuickBooks' TaxCode name. A `YOUR-…` code is one the organisation names itself.
 */
interface UsualRule {
  flow: string;
  code: string;
  rate: number;
  reverseCharge?: true;
  xero: { code: string; name?: string };
  quickbooks: string;
}

/** What each flow usually takes, per region, as the accountant is asked to confirm. */
const USUAL: Record<Exclude<TaxRegion, 'us'>, { why: string; rules: UsualRule[]; quickbooksUntaxed: string }> = {
  uk: {
    quickbooksUntaxed: '"No VAT"',
    why:
      'ad income from a network abroad is outside the scope of UK VAT but goes in box 6 (zero-rated ' +
      'code); services bought from a panel abroad are reverse-charged (boxes 1 and 4 cancel, 6 and 7)',
    rules: [
      {
        flow: 'publisher_earnings',
        code: 'ZERO_RATED',
        rate: 0,
        xero: { code: 'ZERORATEDOUTPUT', name: 'Zero Rated Income' },
        quickbooks: '"0.0% Z"',
      },
      {
        flow: 'order_charge',
        code: 'REVERSE_CHARGE_20',
        rate: 20,
        reverseCharge: true,
        xero: { code: 'REVERSECHARGES', name: 'Reverse Charge Expenses (20%)' },
        quickbooks: '"20.0% RC SG"',
      },
      {
        flow: 'advertiser_spend',
        code: 'REVERSE_CHARGE_20',
        rate: 20,
        reverseCharge: true,
        xero: { code: 'REVERSECHARGES', name: 'Reverse Charge Expenses (20%)' },
        quickbooks: '"20.0% RC SG"',
      },
      {
        flow: 'bank_fees',
        code: 'EXEMPT',
        rate: 0,
        xero: { code: 'EXEMPTINPUT', name: 'Exempt Expenses' },
        quickbooks: 'Exempt',
      },
    ],
  },
  eu: {
    quickbooksUntaxed: 'YOUR-NO-VAT-CODE',
    why:
      'services from another member state or from abroad are reverse-charged by the buyer (Article ' +
      '196); ad income from a network in another member state is reported as a service supplied abroad; ' +
      'the codes are your organisation’s own (doctor lists them)',
    rules: [
      {
        flow: 'publisher_earnings',
        code: 'EU_SERVICES_SALES',
        rate: 0,
        xero: { code: 'YOUR-EU-SERVICES-SALES-CODE' },
        quickbooks: 'YOUR-EU-SERVICES-SALES-CODE',
      },
      {
        flow: 'order_charge',
        code: 'REVERSE_CHARGE',
        rate: 0,
        xero: { code: 'YOUR-REVERSE-CHARGE-CODE' },
        quickbooks: 'YOUR-REVERSE-CHARGE-CODE',
      },
    ],
  },
  au: {
    quickbooksUntaxed: 'N-T',
    why:
      'services exported to a non-resident are GST-free; GST does not apply to imported services ' +
      'bought by a GST-registered business for fully creditable purposes (ATO), so they are left ' +
      'off the BAS unless your accountant says otherwise',
    rules: [
      {
        flow: 'publisher_earnings',
        code: 'GST_FREE',
        rate: 0,
        xero: { code: 'EXEMPTOUTPUT', name: 'GST Free Income' },
        quickbooks: 'FRE',
      },
      {
        flow: 'order_charge',
        code: 'OUT_OF_SCOPE',
        rate: 0,
        xero: { code: 'BASEXCLUDED', name: 'BAS Excluded' },
        quickbooks: 'N-T',
      },
      {
        flow: 'bank_fees',
        code: 'INPUT_TAXED',
        rate: 0,
        xero: { code: 'INPUTTAXED', name: 'Input Taxed' },
        quickbooks: 'INP',
      },
    ],
  },
  nz: {
    quickbooksUntaxed: '"No GST"',
    why:
      'services supplied to a non-resident are usually zero-rated; imported services take GST by ' +
      'reverse charge only when less than 95 % of your supplies are taxable',
    rules: [
      {
        flow: 'publisher_earnings',
        code: 'ZERO_RATED',
        rate: 0,
        xero: { code: 'ZERORATED', name: 'Zero Rated' },
        quickbooks: 'Zero-rated',
      },
      { flow: 'order_charge', code: 'NO_GST', rate: 0, xero: { code: 'NONE', name: 'No GST' }, quickbooks: '"No GST"' },
      { flow: 'bank_fees', code: 'NO_GST', rate: 0, xero: { code: 'NONE', name: 'No GST' }, quickbooks: '"No GST"' },
    ],
  },
};

/** Comment lines of `text`, wrapped at 110 characters: "# Usually: ad income …\n# code); services …\n". */
function comment(text: string): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= 110) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(`# ${word}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The head of every tax section init writes: for whom, and who decides. */
function sectionHead(region: string, registered: boolean, checks: string): string {
  return (
    `\n# Tax for a business registered in ${region.toUpperCase()} (written by init --region ` +
    `${region}${registered ? ' --vat-registered' : ''}).\n` +
    comment(`Your accountant decides which code each flow takes; ${checks}.`)
  );
}

/** A region's proposal is live for a rehearsal against the sandbox, unless a code is one the organisation names itself. */
function liveFor(usual: { rules: UsualRule[]; quickbooksUntaxed: string }, rehearsal: boolean): boolean {
  const codes = usual.rules.flatMap((rule) => [rule.xero.code, rule.quickbooks]);
  return rehearsal && ![...codes, usual.quickbooksUntaxed].some((code) => code.includes('YOUR-'));
}

/** The comment saying a section is written live, for a rehearsal. */
const LIVE_NOTE = '# Written live for a rehearsal against the sandbox: doctor checks these codes against its fakes.\n';

/** The registered business's usual rules of a region, or undefined where tax: is left out (the US, not registered). */
function usualOf(region: string, registered: boolean) {
  return region === 'us' || !registered ? undefined : USUAL[region as Exclude<TaxRegion, 'us'>];
}

/**
 * The tax rules `init --region REGION --vat-registered` appends to the chart (mappings/default.yaml, issue 83): one
 * rule per flow in the ledger's own neutral codes, each with its rate, a reversal left to take its original's rule.
 * Commented for the accountant to confirm; live for a `rehearsal` against the sandbox playing the region. Undefined
 * where the business leaves tax: out (the US, not registered): each destination's section says so. Example, UK:
 * "tax:\n  publisher_earnings: [{ code: ZERO_RATED, rate: 0, name: Zero Rated Income }]\n  order_charge: …".
 */
export function regionChartTaxSection(region: string, registered: boolean, rehearsal = false): string | undefined {
  const usual = usualOf(region, registered);
  if (usual === undefined) return undefined;
  const live = liveFor(usual, rehearsal);
  const rule = ({ code, rate, reverseCharge, xero }: UsualRule) =>
    `{ code: ${code}, rate: ${rate}${reverseCharge === true ? ', reverseCharge: true' : ''}` +
    `${xero.name === undefined ? '' : `, name: ${xero.name}`} }`;
  const section = ['tax:', ...usual.rules.map((usualRule) => `  ${usualRule.flow}: [${rule(usualRule)}]`)];
  return (
    sectionHead(region, registered, '`ledgerline doctor --to DESTINATION` checks each against the organisation') +
    comment(
      "The codes are the ledger's own; each destination's mapping names its own code for each (taxCodes:); a " +
        "rule's name is the rate's as Xero's CSV import reads it.",
    ) +
    comment(`Usually: ${usual.why}.`) +
    comment(REVERSALS_NOTE) +
    (live ? LIVE_NOTE : '') +
    section.map((line) => (live ? line : `# ${line}`)).join('\n') +
    '\n'
  );
}

/**
 * The section `init --region REGION [--vat-registered]` appends to a destination's mapping file: its own code for each
 * of the chart's (`taxCodes:`, issue 83; the rules themselves are the chart's, regionChartTaxSection), and QuickBooks'
 * code for every other line (`untaxedCode:`). Commented for the accountant; live for a `rehearsal`. A business not
 * registered for VAT/GST, and a US one (sales tax is state law; a QuickBooks JournalEntry takes no US tax code), are
 * told to leave tax out, so their journals post with no tax, as before. Example, UK Xero: "taxCodes:\n  ZERO_RATED:
 * ZERORATEDOUTPUT\n  REVERSE_CHARGE_20: REVERSECHARGES\n  EXEMPT: EXEMPTINPUT".
 */
export function regionTaxSection(
  destination: 'xero' | 'quickbooks',
  region: string,
  registered: boolean,
  rehearsal = false,
): string {
  const head = sectionHead(
    region,
    registered,
    `\`ledgerline doctor --to ${destination}\` checks each against the ${destination === 'xero' ? 'organisation' : 'company'}`,
  );
  if (region === 'us')
    return `${head}# US: sales tax is state law and these flows are usually not taxable; leave tax: out (no code, as before).\n`;
  const usual = usualOf(region, registered);
  if (usual === undefined)
    return `${head}# Not registered for VAT/GST: leave tax: out, and journals post with no tax code, as before.\n`;
  const live = liveFor(usual, rehearsal);
  const codes = new Map(
    usual.rules.map((rule) => [rule.code, destination === 'xero' ? rule.xero.code : rule.quickbooks] as const),
  );
  const section = [
    'taxCodes:',
    ...[...codes].map(([ledger, own]) => `  ${ledger}: ${own}`),
    ...(destination === 'quickbooks' ? [`untaxedCode: ${usual.quickbooksUntaxed}`] : []),
  ];
  return (
    head +
    comment(
      "The chart's tax: (default.yaml) holds the rules in the ledger's own codes; these are " +
        `${destination === 'xero' ? "Xero's tax types" : "QuickBooks' tax codes"} for them` +
        `${destination === 'quickbooks' ? ', and untaxedCode the code of every other income or expense line' : ''}.`,
    ) +
    (live ? LIVE_NOTE : '') +
    section.map((line) => (live ? line : `# ${line}`)).join('\n') +
    '\n'
  );
}

const REVERSALS_NOTE =
  'A reversal (a clawback, a refund, an advertiser credit) takes the rule of the flow it reverses, as in force on ' +
  'the original’s day, so the return is reduced where it was increased: give it a rule of its own only where it ' +
  'differs; bank_fees codes the bank’s charges (financial services).';
