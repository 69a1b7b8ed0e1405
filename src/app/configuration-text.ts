import { SANDBOX_REGION_HOMES, exampleConfigText, productionConfigText } from '../config/index.js';
import { UsageError } from '../errors.js';
import { apiDestinationKind, apiDestinationNames, exportFormatNames } from './destination-choices.js';
import { withSandboxBank } from './sandbox-bank.js';

/** What `init --for` takes: each destination with an API, or csv alone. */
export function productionChoices(): string[] {
  return [...apiDestinationNames(), 'csv'];
}

/** The configuration init writes: for the real service `target` names, else for the sandbox (playing `region`). */
export function configText(
  target: string | undefined,
  sandboxUrl: string | undefined,
  region: keyof typeof SANDBOX_REGION_HOMES | undefined,
): string {
  if (target === undefined)
    return sandboxUrl === undefined
      ? exampleConfigText(undefined, region)
      : withSandboxBank(exampleConfigText(sandboxUrl, region));
  if (!apiDestinationNames().includes(target)) return productionConfigText(undefined, exportFormatNames());
  const { section, variables } = apiDestinationKind(target).api.production;
  return productionConfigText({ name: target, section, variables }, exportFormatNames());
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
  name: string | undefined,
): { fileName: string; text: (region: string, registered: boolean, rehearsal: boolean) => string } | undefined {
  if (name === undefined || !apiDestinationNames().includes(name)) return undefined;
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

/** --region writes a tax section: refused with --for csv (no such mapping), and for the sandbox outside what it plays. */
export function refuseRegion(region: string | undefined, target: string | undefined): void {
  if (region === undefined) return;
  if (target !== undefined && taxSectionOf(target) === undefined)
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
 * The tax section each mapping file gets, by file name: the one destination of `--for`, commented for the
 * accountant; for the sandbox, both destinations', live with --vat-registered (a rehearsal the fakes check).
 */
export function regionSections(
  target: string | undefined,
  region: string | undefined,
  registered: boolean,
): Map<string, string> {
  const sections = new Map<string, string>();
  if (region === undefined) return sections;
  for (const name of target === undefined ? apiDestinationNames() : [target]) {
    const section = taxSectionOf(name);
    if (section !== undefined) sections.set(section.fileName, section.text(region, registered, target === undefined));
  }
  return sections;
}
