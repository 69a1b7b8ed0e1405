import type { Config, DestinationKind, Mappings } from '../config/index.js';
import { ConfigError } from '../errors.js';
import type { DestinationClient } from './destination-client.js';
import type { DestinationClientDependencies } from './destination-client-options.js';

/**
 * The client of one configured destination, from the loaded configuration and
 * mappings. The SDKs (xero-node, intuit-oauth) are loaded here, on first use,
 * so commands that never post do not pay for them.
 */
export async function createDestinationClient(
  to: DestinationKind,
  config: Config,
  mappings: Mappings,
  dependencies: DestinationClientDependencies,
): Promise<DestinationClient> {
  if (to === 'xero') {
    const destination = config.destinations.xero;
    const mapping = mappings.xero;
    if (!destination || !mapping) throw notConfigured(config, to);
    const { createXeroClient } = await import('./xero/xero-client.js');
    return createXeroClient({ ...dependencies, config: destination, mapping: mapping.accounts, status: destination.status ?? mapping.status });
  }
  const destination = config.destinations.quickbooks;
  const mapping = mappings.quickbooks;
  if (!destination || !mapping) throw notConfigured(config, to);
  const { createQuickbooksClient } = await import('./quickbooks/quickbooks-client.js');
  return createQuickbooksClient({ ...dependencies, config: destination, mapping: mapping.accounts });
}

function notConfigured(config: Config, to: DestinationKind): ConfigError {
  return new ConfigError([{ file: config.file, path: `destinations.${to}`, message: `is not configured; posting to ${to} needs it (and its mapping, ${to}.yaml)` }]);
}
