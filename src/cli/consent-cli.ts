import { createInterface } from 'node:readline';
import { DESTINATION_KINDS, type Config, type DestinationKind } from '../config/index.js';
import { loadConsent, type VendorConsent } from '../destinations/index.js';
import { ConfigError, UsageError } from '../errors.js';
import { createSystemClock } from '../http/clock.js';
import { createHttpClient, type HttpClient } from '../http/http-client.js';
import type { CommandContext } from './command.js';
import { loadConfigFor } from './load.js';

/** `connect xero` / `disconnect quickbooks`: the one word after the command. */
export function destinationWord(command: string, positionals: readonly string[]): DestinationKind {
  const [word, ...rest] = positionals;
  if (word === undefined || rest.length > 0 || !(DESTINATION_KINDS as readonly string[]).includes(word)) {
    throw new UsageError(`${command} takes one destination, ${DESTINATION_KINDS.join(' or ')}: ledgerline ${command} xero`);
  }
  return word as DestinationKind;
}

/** The configuration with the destination's section, and what the consent flow needs from it. */
export async function consentConfig(context: CommandContext, kind: DestinationKind): Promise<{ config: Config; vendor: VendorConsent }> {
  const { quickbooksConsent, xeroConsent } = await loadConsent();
  const config = loadConfigFor(context, { destinations: [kind] });
  const section = kind === 'xero' ? config.destinations.xero : config.destinations.quickbooks;
  if (section === undefined) {
    throw new ConfigError([{ file: config.file, path: `destinations.${kind}`, message: `is not configured; add clientId and clientSecret of your ${kind === 'xero' ? 'Xero' : 'Intuit'} app (see "Going live" in the README)` }]);
  }
  return { config, vendor: kind === 'xero' ? xeroConsent(config.destinations.xero!) : quickbooksConsent(config.destinations.quickbooks!) };
}

/** The HTTP client for the identity endpoints: a few tries for reads, none for the single-use code (the request says so). */
export function consentHttp(context: CommandContext, service: string): HttpClient {
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
export function readOneLine(prompt: string, context: CommandContext): Promise<string | undefined> {
  // A piped stdin left referenced would keep the process alive after the command ends.
  const stdin = process.stdin as NodeJS.ReadStream & { ref?: () => void; unref?: () => void };
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
