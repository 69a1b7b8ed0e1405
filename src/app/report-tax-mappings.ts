import { ConfigError } from '../errors.js';
import { destinationTaxFlows, taxChartOf, type Config } from '../config/index.js';
import { configMappings } from './configured-books.js';
import { destinationKinds } from '../pipeline/kinds/index.js';
import type { FinanceReportOptions } from '../reads/index.js';
import type { TaxFlows } from '../rules/index.js';

/** With where its rules are written: its own mapping file's `tax:`, or the chart's through its `taxCodes:`. */
type ReportTaxMapping = NonNullable<FinanceReportOptions['taxMappings']>[number] & { rulesIn: string };

/**
 * The configured services whose mapping file codes flows for tax (a `tax:` section, issue 54), for the report's
 * tax summary; none when no mapping has one. Each destination's file is read on its own: one that cannot be read
 * leaves that destination out, said in `warn` (a DATEV file missing a new chart account does not silence Xero's
 * codes): the report reads the ledger, and `doctor` names what is wrong with the file.
 */
export function reportTaxMappings(config: Config, warn: (line: string) => void): ReportTaxMapping[] {
  const kinds = Object.keys(config.destinations).flatMap((name) => {
    const kind = destinationKinds.named(name);
    // A file format (DATEV, the FEC) keys its tax its own way: only a service is told the codes this table lists.
    return kind?.mapping === undefined || kind.api === undefined
      ? []
      : [{ name, mapping: kind.mapping, service: kind.api.service }];
  });
  return kinds.flatMap(({ name, mapping, service }) => {
    try {
      const mappings = configMappings(config, [mapping]);
      const settings = mappings.destinations.get(mapping.kind)?.settings as
        { tax?: TaxFlows; taxCodes?: Record<string, string> } | undefined;
      const flows = settings === undefined ? undefined : destinationTaxFlows(settings, mappings.chart);
      const rulesIn =
        settings?.tax !== undefined ? `${mapping.fileName}'s tax:` : `the chart's tax: (${config.mappings})`;
      const chart = taxChartOf(mappings.chart);
      return flows === undefined ? [] : [{ destination: name, service, flows, chart, rulesIn }];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      warn(
        `no tax codes are read for ${name}: its mapping file cannot be read (run \`ledgerline doctor\`): ${error.message}`,
      );
      return [];
    }
  });
}
