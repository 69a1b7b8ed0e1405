import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TaxFlows } from '../rules/index.js';
import { valueAt } from './key-path.js';
import { taxSection } from './tax-section.js';
import { readYamlFile } from './yaml-file.js';
import { ONCE } from './zod-problems.js';

/**
 * The tax rules of a chart that has no `tax:` of its own, from a destination's mapping beside it written before the
 * chart held them (issue 54's per-destination `tax:`, issue 70): the first such file, by name, whose rules give a
 * rate, read as the chart's rules, so a mapping written then keeps working as written and the ledger books the tax by
 * it. Example: quickbooks.yaml `advertiser_spend: [{ code: "20.0% S", rate: 20 }]` and xero.yaml with the same
 * flows as INPUT2 → the rules of quickbooks.yaml. Undefined when none gives a rate.
 */
export function destinationTaxAsChart(chartPath: string): { file: string; flows: TaxFlows } | undefined {
  for (const file of yamlFilesBeside(chartPath)) {
    const read = readYamlFile(file);
    if (!read.ok) continue;
    const parsed = taxSection.safeParse(valueAt(read.yaml.value, ['tax']), ONCE);
    if (!parsed.success || parsed.data === undefined) continue;
    const rated = Object.values(parsed.data).some((rules) => rules?.some((rule) => rule.rate !== undefined));
    if (rated) return { file: read.yaml.file, flows: parsed.data };
  }
  return undefined;
}

/**
 * The note that suggests the move (issue 70), when the chart has no `tax:` and a destination's mapping beside it is read
 * as the chart's rules (destinationTaxAsChart): it names the file and the section, and where the section goes. Example:
 * "note: mappings/xero.yaml's tax: section is read as the chart's tax rules: move it to mappings/default.yaml under
 * tax: (the ledger's codes and rates), and map the codes xero.yaml needs as its taxCodes:". Undefined otherwise, and
 * for a chart that cannot be read (loading the mappings says why). A plain look for a top-level `tax:` first, so a
 * command of a team without tax rules reads no YAML for it.
 */
export function legacyTaxNote(chartPath: string): string | undefined {
  const hasTax = (file: string) => {
    try {
      return /^tax:/m.test(readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
  };
  if (hasTax(chartPath) !== false || !yamlFilesBeside(chartPath).some((file) => hasTax(file) === true))
    return undefined;
  const legacy = destinationTaxAsChart(chartPath);
  if (legacy === undefined) return undefined;
  return (
    `note: ${legacy.file}'s tax: section is read as the chart's tax rules: move it to ${chartPath} under tax: ` +
    `(the ledger's codes and rates), and map the codes ${basename(legacy.file)} needs as its taxCodes:`
  );
}

/** The YAML files in the chart's folder but the chart, by name. */
export function yamlFilesBeside(chartPath: string): string[] {
  try {
    return readdirSync(dirname(chartPath))
      .filter((name) => /\.ya?ml$/.test(name) && name !== basename(chartPath))
      .sort()
      .map((name) => join(dirname(chartPath), name));
  } catch {
    return [];
  }
}
