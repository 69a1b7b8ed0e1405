import { spawn } from 'node:child_process';
import { loadConsent, openTokenStore, type CallbackMode, type XeroConnection } from '../../destinations/index.js';
import { ConsentTimeoutError, EXIT, PastedRedirectError, UsageError } from '../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { consentConfig, consentHttp, destinationWord, readOneLine } from '../consent-cli.js';
import { apiDestinationChoices } from '../destination-choices.js';
import { writeJson } from '../load.js';
import { portFlag } from '../port-flag.js';

const DEFAULT_TIMEOUT_SECONDS = 300;

export const connectCommand: Command = {
  // Read when help is shown: a destination kind registered by a plug-in is listed too.
  get usage() {
    return `ledgerline connect ${apiDestinationChoices()} [--port N] [--no-browser] [--paste] [--tenant NAME|ID] [--timeout SECONDS]`;
  },
  get arguments() {
    return apiDestinationChoices();
  },
  options: {
    port: { type: 'string', value: 'N', description: 'the loopback redirect http://localhost:N/callback (default 5110, or the configured redirectUri\'s; 0 picks a free one); it must match the redirect URI registered for the app' },
    'no-browser': { type: 'boolean', description: 'print the URL to open instead of opening a browser (also the default with no display)' },
    paste: { type: 'boolean', description: 'no listener: paste the whole address the browser was redirected to (servers; QuickBooks production keys, whose redirect URI must be https)' },
    tenant: { type: 'string', value: 'NAME|ID', description: 'Xero: the organisation to use when the consent connected several' },
    timeout: { type: 'string', value: 'SECONDS', description: `how long to wait for the consent (default ${DEFAULT_TIMEOUT_SECONDS})` },
    json: { type: 'boolean', description: 'the outcome as JSON: {destination, organisation, tenantId, realmId, tokenStore, refreshTokenExpiresAt}' },
  },
  examples: [
    'ledgerline connect xero                          # opens Xero\'s consent page; the redirect comes back to http://localhost:5110/callback',
    'ledgerline connect xero --tenant "Acme Ltd"      # several organisations ticked: use this one',
    'ledgerline connect quickbooks --paste            # production keys: paste the https address Intuit redirected to',
  ],
  async run(context) {
    const kind = destinationWord('connect', context.positionals);
    const { config, vendor } = await consentConfig(context, kind);
    const { connectDestination } = await loadConsent();
    const port = portFlag(context.values.port);
    const timeoutMs = readSeconds(context.values.timeout) * 1000;
    const mode: CallbackMode = context.values.paste === true ? { kind: 'paste', port, readPastedUrl: () => pastedUrl(context, timeoutMs) } : { kind: 'loopback', port };
    const outcome = await connectDestination({
      vendor,
      store: openTokenStore(config.tokenStore),
      http: consentHttp(context, vendor.service),
      now: () => context.now().getTime(),
      mode,
      timeoutMs,
      signal: context.stopSignal,
      tenant: typeof context.values.tenant === 'string' ? context.values.tenant : undefined,
      askTenant: process.stdin.isTTY && context.stderr.isTTY ? (choices) => askTenant(context, choices) : undefined,
      showUrl: (url, redirectUri) => showUrl(context, vendor.service, url, redirectUri, mode),
      onSecrets: context.addSecrets,
    });
    const { connection } = outcome;
    const organisation = connection.organisationName || connection.tenantId || connection.realmId;
    if (context.json) {
      writeJson(context, { destination: kind.name, organisation, tenantId: connection.tenantId, realmId: connection.realmId, tokenStore: config.tokenStore, refreshTokenExpiresAt: outcome.refreshTokenExpiresAt });
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
};

function showUrl(context: CommandContext, service: string, url: string, redirectUri: string, mode: CallbackMode): void {
  const open = mode.kind === 'loopback' && context.values['no-browser'] !== true && hasDisplay(context.env);
  const then = mode.kind === 'paste'
    ? `After choosing Allow, the browser goes to ${redirectUri}?code=…; copy that whole address from the address bar and paste it here.`
    : `Waiting for ${service} to send the browser back to ${redirectUri} …`;
  context.stdout.write(`${open ? 'Opening' : 'Open'} this address in a browser to connect ledgerline to ${service}:\n${url}\n${then}\n`);
  if (open) openBrowser(url);
}

function hasDisplay(env: NodeJS.ProcessEnv): boolean {
  return process.platform === 'darwin' || process.platform === 'win32' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Best effort: the URL is printed either way. */
function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

async function pastedUrl(context: CommandContext, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ConsentTimeoutError(`nothing was pasted within ${Math.round(timeoutMs / 1000)} s; nothing was stored. Run connect again`)), timeoutMs);
  });
  try {
    const line = await Promise.race([readOneLine('redirected URL: ', context), timedOut]);
    if (line === undefined || line.trim() === '') throw new PastedRedirectError('nothing was pasted; run connect --paste again and paste the whole address the browser was redirected to');
    return line;
  } finally {
    clearTimeout(timer);
  }
}

async function askTenant(context: CommandContext, choices: readonly XeroConnection[]): Promise<XeroConnection | undefined> {
  context.stderr.write(`The consent connected ${choices.length} organisations:\n${choices.map((choice, index) => `  ${index + 1}. ${choice.tenantName} (${choice.tenantId})`).join('\n')}\n`);
  const answer = await readOneLine(`which one should ledgerline post to? [1-${choices.length}] `, context);
  const index = Number(answer?.trim()) - 1;
  return Number.isInteger(index) ? choices[index] : undefined;
}

function readSeconds(value: unknown): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value) || Number(value) === 0) throw new UsageError(`--timeout takes a whole number of seconds above 0, not ${JSON.stringify(value)}`);
  return Number(value);
}
