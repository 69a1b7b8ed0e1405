import type { Config } from '../config/index.js';
import type { VendorConsent } from '../destinations/index.js';
import { ConfigError } from '../errors.js';
import { createHttpClient, type HttpClient } from '../http/index.js';
import type { ApiDestinationKind } from '../pipeline/kinds/index.js';
import type { AppProcess } from './app-process.js';
import { loadConfigFor, type ConfigProcess } from './configured-books.js';

/** The configuration with the destination's section, and what the consent flow needs from it. */
export async function consentConfig(
  context: ConfigProcess,
  kind: ApiDestinationKind,
): Promise<{ config: Config; vendor: VendorConsent }> {
  const config = loadConfigFor(context, { destinations: [kind.name] });
  const vendor = await kind.api.consent(config);
  if (vendor === undefined) {
    throw new ConfigError([
      {
        file: config.file,
        path: `destinations.${kind.name}`,
        message: `is not configured; add clientId and clientSecret of your ${kind.api.appVendor} app (see "Going live" in the README)`,
      },
    ]);
  }
  return { config, vendor };
}

/** The HTTP client for the identity endpoints: a few tries for reads, none for the single-use code (the request says so). */
export function consentHttp(context: Pick<AppProcess, 'redact' | 'logger' | 'clock'>, service: string): HttpClient {
  return createHttpClient({
    service,
    timeoutMs: 30_000,
    retry: { maxAttempts: 3, maxTotalMs: 30_000, baseDelayMs: 500, maxDelayMs: 5_000 },
    clock: context.clock,
    redact: context.redact,
    log: (line) => context.logger.debug(line),
  });
}
