import { cachedCheck, fileBytes } from './checked-cache.js';
import { withTaxBook } from '../rules/index.js';
import { chartTaxBook } from './tax-section.js';
import { destinationTaxAsChart, yamlFilesBeside } from './legacy-tax.js';
import { checkedMappings, destinationMappingPath, type LoadMappingsOptions, type Mappings } from './mappings-loader.js';

/**
 * The mappings read and checked (checkedMappings), or as a command before checked the same files with the same
 * vocabularies, when `options.cache` kept it: a chart holds no secret.
 */
export function loadMappings(options: LoadMappingsOptions): Mappings {
  const { mappings, bookedTax } = cachedCheck(
    options.cache,
    options.cache === undefined ? undefined : mappingsKey(options),
    () => {
      const checked = checkedMappings(options);
      // A chart without `tax:` books by a destination's rules written before the chart held them (legacy-tax.ts).
      const legacy = checked.chart.tax === undefined ? destinationTaxAsChart(options.chartPath) : undefined;
      return { mappings: checked, bookedTax: legacy?.flows ?? checked.chart.tax };
    },
  );
  // The chart's tax rides on its rules (withTaxBook), which a kept check (v8-serialized) does not keep: attached here.
  withTaxBook(mappings.chart.events, chartTaxBook({ ...mappings.chart, tax: bookedTax }));
  return mappings;
}

/**
 * Everything the check reads: the chart's bytes and each destination file's, the vocabularies and the bank accounts,
 * and the YAML files beside the chart (a destination's `tax:` may be the chart's, legacy-tax.ts).
 */
function mappingsKey(options: LoadMappingsOptions): (string | Buffer)[] {
  const destinations = (options.destinations ?? []).flatMap((kind) => {
    const file = destinationMappingPath(options.chartPath, kind);
    return [kind.kind, file, fileBytes(file)];
  });
  const data = JSON.stringify([options.vocabularies ?? [], options.bankAccounts ?? []]);
  const beside = yamlFilesBeside(options.chartPath).flatMap((file) => [file, fileBytes(file)]);
  return ['mappings', options.chartPath, fileBytes(options.chartPath), data, ...destinations, ...beside];
}
