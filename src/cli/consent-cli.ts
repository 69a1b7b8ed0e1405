import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Config } from '../config/index.js';
import type { VendorConsent } from '../destinations/index.js';
import { ConfigError, UsageError } from '../errors.js';
import { createSystemClock, createHttpClient, type HttpClient } from '../http/index.js';
import type { ApiDestinationKind } from '../pipeline/kinds/index.js';
import type { CommandProcess } from './command.js';
import { apiDestinationKind, apiDestinationNames } from '../app/destination-choices.js';
import { loadConfigFor } from '../app/configured-books.js';

/** `connect xero` / `disconnect quickbooks`: the one word after the command, a destination kind with an API. */
export function destinationWord(command: string, positionals: readonly string[]): ApiDestinationKind {
  const [word, ...rest] = positionals;
  const names = apiDestinationNames();
  if (word === undefined || rest.length > 0 || !names.includes(word)) {
    throw new UsageError(
      `${command} takes one destination, ${names.join(' or ')}: ledgerline ${command} ${names[0] ?? ''}`,
    );
  }
  return apiDestinationKind(word);
}

/** The configuration with the destination's section, and what the consent flow needs from it. */
export async function consentConfig(
  context: CommandProcess,
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
export function consentHttp(context: CommandProcess, service: string): HttpClient {
  return createHttpClient({
    service,
    timeoutMs: 30_000,
    retry: { maxAttempts: 3, maxTotalMs: 30_000, baseDelayMs: 500, maxDelayMs: 5_000 },
    clock: createSystemClock(),
    redact: context.redact,
    log: (line) => context.logger.debug(line),
  });
}

/** One line typed on standard input; undefined when input ends first. */
export function readOneLine(prompt: string, context: CommandProcess): Promise<string | undefined> {
  // A piped stdin left referenced would keep the process alive after the command ends.
  const stdin = context.stdin() as Readable & { ref?: () => void; unref?: () => void };
  return new Promise((resolve) => {
    stdin.ref?.();
    const lines = createInterface({ input: stdin, terminal: false });
    context.stderr.write(prompt);
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      stdin.pause();
      stdin.unref?.();
      resolve(line);
    });
    lines.once('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}
