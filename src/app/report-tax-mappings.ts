import { ConfigError } from '../errors.js';
import { destinationTaxFlows, taxChartOf, type Config } from '../config/index.js';
import { configMappings } from './configured-books.js';
import { destinationKinds } from '../pipeline/kinds/index.js';
import type { FinanceReportOptions } from '../reads/index.js';
import type { TaxFlows } from '../rules/index.js';

/** With where its rules are written: its own mapping file's `tax:`, or the chart's through its `taxCodes:`. */
type ReportTaxMapping = NonNullable<FinanceReportOptions['taxMappings']>[number] & { rulesIn: string };

/**
 * The configured destinations whose mapping file codes flows for tax (a `tax:` section, issue 54), for the report's
 * tax summary; none when no mapping has one. A mapping file that cannot be read leaves the summary out, said in
 * `warn`: the report reads the ledger, and `doctor` names what is wrong with the file.
 */
export function reportTaxMappings(config: Config, warn: (line: string) => void): ReportTaxMapping[] {
  const kinds = Object.keys(config.destinations).flatMap((name) => {
    const kind = destinationKinds.named(name);
    return kind?.mapping === undefined ? [] : [{ name, mapping: kind.mapping, service: kind.api?.service ?? name }];
  });
  if (kinds.length === 0) return [];
  try {
    const mappings = configMappings(
      config,
      kinds.map((kind) => kind.mapping),
    );
    const chart = taxChartOf(mappings.chart);
    return kinds.flatMap(({ name, mapping, service }) => {
      const settings = mappings.destinations.get(mapping.kind)?.settings as
        { tax?: TaxFlows; taxCodes?: Record<string, string> } | undefined;
      const flows = settings === undefined ? undefined : destinationTaxFlows(settings, mappings.chart);
      const rulesIn =
        settings?.tax !== undefined ? `${mapping.fileName}'s tax:` : `the chart's tax: (${config.mappings})`;
      return flows === undefined ? [] : [{ destination: name, service, flows, chart, rulesIn }];
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    warn(
      `no tax codes are read: a destination's mapping file cannot be read (run \`ledgerline doctor\`): ${error.message}`,
    );
    return [];
  }
}
