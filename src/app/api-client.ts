import type { Config } from '../config/index.js';
import { configMappings } from './configured-books.js';
import { openTokenStore, type DestinationClient } from '../destinations/index.js';
import type { AppProcess } from './app-process.js';
import { apiDestinationKind } from './destination-choices.js';

/**
 * A client of the destination with an API of that name, with its mapping, its token store and the process's
 * redaction: what `reconcile --with` and `close` read through.
 */
export async function openApiClient(context: AppProcess, config: Config, name: string): Promise<DestinationClient> {
  const kind = apiDestinationKind(name);
  const mappings = configMappings(config, kind.mapping === undefined ? [] : [kind.mapping]);
  return kind.api.createClient(config, mappings, {
    tokenStore: openTokenStore(config.tokenStore),
    clock: context.clock,
    redact: context.redact,
    onSecrets: context.addSecrets,
    log: (line) => context.logger.info(line),
  });
}
