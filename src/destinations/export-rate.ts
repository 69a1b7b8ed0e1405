import { UsageError } from '../errors.js';
import type { DestinationExportRequest } from './destination-kind.js';

/**
 * The rate a file export converts a currency into the books' at: destinations.rates.fixed's, the books' units per one
 * unit of the currency ("0.9": 1 USD is 0.90 EUR). The one place an export (FEC, DATEV) looks a rate up; without one
 * the export is refused by name, `entry` saying which entry asked ("FEC: je:smm-panel:2026-03-02").
 */
export function exportRate(request: Pick<DestinationExportRequest, 'config'>, currency: string, entry: string): string {
  const rate = request.config.destinations.rates?.fixed?.[currency];
  if (rate === undefined)
    throw new UsageError(
      `${entry} has lines in ${currency}, and the file needs their amounts in ${request.config.currency} too: ` +
        `set destinations.rates.fixed.${currency} (nothing was written)`,
    );
  return rate;
}
