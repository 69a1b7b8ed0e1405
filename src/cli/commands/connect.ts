import { z } from 'zod';
import { loadConsent, openTokenStore, type CallbackMode } from '../../destinations/index.js';
import { EXIT } from '../../errors.js';
import type { Command } from '../command.js';
import { consentConfig, consentHttp } from '../../app/destination-consent.js';
import { destinationWord } from '../consent-cli.js';
import { askTenant, pastedUrl, showUrl } from '../consent-prompts.js';
import { apiDestinationChoices } from '../../app/destination-choices.js';
import { flag, withFlags } from '../flags.js';
import { writeJson } from '../write-json.js';

const DEFAULT_TIMEOUT_SECONDS = 300;

export const connectCommand: Command = withFlags({
  // Read when help is shown: a destination kind registered by a plug-in is listed too.
  get usage() {
    return `ledgerline connect ${apiDestinationChoices()} [--port N] [--no-browser] [--paste] [--tenant NAME|ID] [--timeout SECONDS]`;
  },
  get arguments() {
    return apiDestinationChoices();
  },
  flags: z.object({
    port: flag.port(
      'N',
      "the loopback redirect http://localhost:N/callback (default 5110, or the configured redirectUri's; " +
        '0 picks a free one); it must match the redirect URI registered for the app',
    ),
    'no-browser': flag.boolean('print the URL to open instead of opening a browser (also the default with no display)'),
    paste: flag.boolean(
      'no listener: paste the whole address the browser was redirected to (servers; QuickBooks production keys, whose redirect URI must be https)',
    ),
    tenant: flag.text('NAME|ID', 'Xero: the organisation to use when the consent connected several'),
    timeout: flag
      .readWith(
        'SECONDS',
        `how long to wait for the consent (default ${DEFAULT_TIMEOUT_SECONDS})`,
        readSeconds,
        (name, given) => `${name} takes a whole number of seconds above 0, not ${JSON.stringify(given)}`,
      )
      .default(DEFAULT_TIMEOUT_SECONDS),
    json: flag.boolean(
      'the outcome as JSON: {destination, organisation, tenantId, realmId, tokenStore, refreshTokenExpiresAt}',
    ),
  }),
  examples: [
    "ledgerline connect xero                          # opens Xero's consent page; the redirect comes back to http://localhost:5110/callback",
    'ledgerline connect xero --tenant "Acme Ltd"      # several organisations ticked: use this one',
    'ledgerline connect quickbooks --paste            # production keys: paste the https address Intuit redirected to',
  ],
  async run(context) {
    const { flags } = context;
    const kind = destinationWord('connect', context.positionals);
    const { config, vendor } = await consentConfig(context, kind);
    const { connectDestination } = await loadConsent();
    const { port } = flags;
    const timeoutMs = flags.timeout * 1000;
    const mode: CallbackMode = flags.paste
      ? { kind: 'paste', port, readPastedUrl: () => pastedUrl(context, timeoutMs) }
      : { kind: 'loopback', port };
    const outcome = await connectDestination({
      vendor,
      store: openTokenStore(config.tokenStore),
      http: consentHttp(context, vendor.service),
      now: () => context.now().getTime(),
      mode,
      timeoutMs,
      signal: context.stopSignal,
      tenant: flags.tenant,
      askTenant: context.stdin().isTTY && context.stderr.isTTY ? (choices) => askTenant(context, choices) : undefined,
      showUrl: (url, redirectUri) =>
        showUrl(context, vendor.service, url, redirectUri, mode, { browser: !flags['no-browser'] }),
      onSecrets: context.addSecrets,
    });
    const { connection } = outcome;
    const organisation = connection.organisationName || connection.tenantId || connection.realmId;
    if (context.json) {
      writeJson(context, {
        destination: kind.name,
        organisation,
        tenantId: connection.tenantId,
        realmId: connection.realmId,
        tokenStore: config.tokenStore,
        refreshTokenExpiresAt: outcome.refreshTokenExpiresAt,
      });
      return EXIT.ok;
    }
    const which = kind.api.describeConnection(connection);
    context.stdout.write(
      context.redact(
        `connected: ${vendor.service} ${which}; the tokens are in ${config.tokenStore} (mode 0600)` +
          `${outcome.refreshTokenExpiresAt ? `; unused, the authorization lapses ${outcome.refreshTokenExpiresAt}` : ''}\n` +
          `next: ledgerline doctor --to ${kind.name}\n`,
      ),
    );
    return EXIT.ok;
  },
});

/** --timeout: whole seconds above 0, at most six digits; undefined refuses it. */
function readSeconds(given: string): number | undefined {
  return /^\d{1,6}$/.test(given) && Number(given) > 0 ? Number(given) : undefined;
}
