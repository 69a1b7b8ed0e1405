import { SANDBOX_REGION_HOMES, exampleConfigText, productionConfigText } from '../config/index.js';
import { UsageError } from '../errors.js';
import {
  accountantSections,
  apiDestinationKind,
  apiDestinationNames,
  exportFormatNames,
} from './destination-choices.js';
import { withSandboxBank } from './sandbox-bank.js';
import { regionChartTaxSection } from '../destinations/index.js';

/** The chart's file among the mappings init copies, which takes the region's tax rules. */
const CHART_FILE = 'default.yaml';

/** What `init --for` takes: each destination with an API, or csv alone. */
export function productionChoices(): string[] {
  return [...apiDestinationNames(), 'csv'];
}

/** The configuration init writes: for the real service `target` names, else for the sandbox (playing `region`). */
export function configText(
  target: string | undefined,
  sandboxUrl: string | undefined,
  region: keyof typeof SANDBOX_REGION_HOMES | undefined,
  supplierCurrency?: string,
): string {
  if (target === undefined)
    return withSupplierCurrency(
      withRegionDates(
        sandboxUrl === undefined
          ? exampleConfigText(undefined, region)
          : withAccountantExamples(withSandboxBank(exampleConfigText(sandboxUrl, region))),
        region,
      ),
      region,
      supplierCurrency,
    );
  if (!apiDestinationNames().includes(target))
    return withAccountantQuestions(
      withRegionDates(withExportRegion(productionConfigText(undefined, exportFormatNames()), region), region),
    );
  const { section, variables } = apiDestinationKind(target).api.production;
  return withRegionDates(productionConfigText({ name: target, section, variables }, exportFormatNames()), region);
}

/**
 * A rehearsal of an organisation whose panel charges in USD (`sandbox --region uk --supplier-currency USD`, issue 83):
 * the panel's `currency: USD` and `destinations.rates` converting it at the region's rehearsal rate (UK: 1 USD is
 * 0.79 GBP), so the books are in the organisation's currency and its orders arrive converted.
 */
function withSupplierCurrency(
  text: string,
  region: keyof typeof SANDBOX_REGION_HOMES | undefined,
  supplierCurrency: string | undefined,
): string {
  if (
    region === undefined ||
    supplierCurrency === undefined ||
    supplierCurrency === SANDBOX_REGION_HOMES[region].currency
  )
    return text;
  const rate = SANDBOX_REGION_HOMES[region].usdRate;
  return text
    .replace(
      /^( {4}apiKey: \$\{PANEL_KEY\})$/m,
      `$1\n    currency: ${supplierCurrency}                       # the panel charges in ${supplierCurrency}`,
    )
    .replace(
      /^destinations:( .*)?\n/m,
      (found) =>
        `${found}  rates:                                # the panel's ${supplierCurrency} in the books' currency\n` +
        `    fixed: { ${supplierCurrency}: "${rate}" }              # the rehearsal's rate; real books: file: of the days' rates\n`,
    );
}

/**
 * The QuickBooks import's dates as the region writes them (issue 83): day-first outside the US (`--region uk`: 3 April
 * is 03/04/2026), as the Xero CSV's follow destinations.xero.region; the file as before without a region or in the US.
 */
function withRegionDates(text: string, region: keyof typeof SANDBOX_REGION_HOMES | undefined): string {
  if (region === undefined || region === 'us') return text;
  return text.replace(/^( {4}quickbooks: )MM\/DD\/YYYY$/m, "$1DD/MM/YYYY                 # the region's: day-first");
}

/**
 * A CSV-only configuration (no Xero section) says the organisation's region under export: (`init --for csv --region
 * uk`), so Xero's import reads "No VAT", not the US "Tax Exempt", on each line without a tax code.
 */
function withExportRegion(text: string, region: keyof typeof SANDBOX_REGION_HOMES | undefined): string {
  if (region === undefined) return text;
  const line = `  region:                               # the organisation's, for its import file\n    xero: ${SANDBOX_REGION_HOMES[region].xeroRegion}                            # US | UK | NZ | AU: Xero's dates and no-tax rate\n`;
  return text.replace(/^export:\n/m, (found) => found + line);
}

/** The sandbox's configuration with each accountant's format's example section, live: its export works on the sandbox's books. */
function withAccountantExamples(text: string): string {
  const sections = accountantSections().map((section) => section.example);
  return text.replace(/^destinations:.*\n/m, (found) => found + sections.join(''));
}

/** A CSV-only configuration with each accountant's format's section commented, after what to ask for it. */
function withAccountantQuestions(text: string): string {
  const sections = accountantSections().map(
    ({ example, ask }) =>
      `#   # ${ask}\n${example
        .trimEnd()
        .split('\n')
        .map((line) => `# ${line}`)
        .join('\n')}\n`,
  );
  return text.replace(/^# destinations: none.*\n/m, (found) => `${found}# destinations:\n${sections.join('')}`);
}

/** What to do next for `target`, after the files written. */
export function goingLive(target: string): string {
  if (!apiDestinationNames().includes(target))
    return 'next: add your sources to ledgerline.yaml, set PAYELANCER_KEY and PANEL_KEY, then run `ledgerline doctor` and `ledgerline sync`\n';
  const { variables, redirect } = apiDestinationKind(target).api.production;
  return (
    `next: set ${variables.join(' and ')} (your app's keys) and the sources' keys; ${redirect}; ` +
    `then \`ledgerline doctor --to ${target}\` (see "Going live" in the README)\n`
  );
}

/** The destination of `--for` that writes a tax section for a region, with its mapping file's name; undefined otherwise. */
function taxSectionOf(
  name: string,
): { fileName: string; text: (region: string, registered: boolean, rehearsal: boolean) => string } | undefined {
  if (!apiDestinationNames().includes(name)) return undefined;
  const kind = apiDestinationKind(name);
  const text = kind.api.production.taxSection;
  return text === undefined || kind.mapping === undefined ? undefined : { fileName: kind.mapping.fileName, text };
}

/** A region the sandbox can play (`sandbox --region`), or undefined for one it cannot (eu) or none. */
export function sandboxRegion(region: string | undefined): keyof typeof SANDBOX_REGION_HOMES | undefined {
  return region !== undefined && Object.hasOwn(SANDBOX_REGION_HOMES, region)
    ? (region as keyof typeof SANDBOX_REGION_HOMES)
    : undefined;
}

/** --region writes a tax section: refused for the sandbox outside what it plays, and with --for a destination that has none. */
export function refuseRegion(region: string | undefined, target: string | undefined): void {
  if (region === undefined) return;
  if (target !== undefined && apiDestinationNames().includes(target) && taxSectionOf(target) === undefined)
    throw new UsageError(
      "--region writes the tax section of a destination's mapping: give it with --for xero or --for quickbooks, or " +
        'without --for for the sandbox; nothing was written',
    );
  if (target === undefined && sandboxRegion(region) === undefined)
    throw new UsageError(
      `--region ${region}: the sandbox plays ${Object.keys(SANDBOX_REGION_HOMES).join(', ')} (sandbox --region); ` +
        `for a real organisation there, give --for xero or --for quickbooks; nothing was written`,
    );
}

/**
 * The tax section each mapping file gets, by file name: the chart's rules in the ledger's codes (default.yaml), and
 * the one destination of `--for` (every one for `--for csv`, whose exports read each mapping file) its codes for them,
 * commented for the accountant; for the sandbox, both destinations', live with --vat-registered (a rehearsal the fakes
 * check).
 */
export function regionSections(
  target: string | undefined,
  region: string | undefined,
  registered: boolean,
): Map<string, string> {
  const sections = new Map<string, string>();
  if (region === undefined) return sections;
  // The rules go in the chart, in the ledger's codes (issue 83); each destination's file maps them to its own.
  const chart = regionChartTaxSection(region, registered, target === undefined);
  if (chart !== undefined) sections.set(CHART_FILE, chart);
  const names = target === undefined || !apiDestinationNames().includes(target) ? apiDestinationNames() : [target];
  for (const name of names) {
    const section = taxSectionOf(name);
    if (section !== undefined) sections.set(section.fileName, section.text(region, registered, target === undefined));
  }
  return sections;
}
