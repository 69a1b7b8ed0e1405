import { cachedCheck, fileBytes } from './checked-cache.js';
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
  // Made from the kept check, not kept in it: the book's chart shares the rules object with the chart's events.
  const taxBook = chartTaxBook({ ...mappings.chart, tax: bookedTax });
  return taxBook === undefined ? mappings : { ...mappings, chart: { ...mappings.chart, taxBook } };
}

/**
 * Everything the check reads: the chart's bytes and each destination file's, the vocabularies, the registered kinds'
 * chart events and the bank accounts,
 * and the YAML files beside the chart (a destination's `tax:` may be the chart's, legacy-tax.ts).
 */
function mappingsKey(options: LoadMappingsOptions): (string | Buffer)[] {
  const destinations = (options.destinations ?? []).flatMap((kind) => {
    const file = destinationMappingPath(options.chartPath, kind);
    return [kind.kind, file, fileBytes(file)];
  });
  const data = JSON.stringify([options.vocabularies ?? [], options.chartEvents ?? null, options.bankAccounts ?? []]);
  const beside = yamlFilesBeside(options.chartPath).flatMap((file) => [file, fileBytes(file)]);
  return ['mappings', options.chartPath, fileBytes(options.chartPath), data, ...destinations, ...beside];
}
