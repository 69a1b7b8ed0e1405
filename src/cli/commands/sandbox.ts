import { EXIT, UsageError } from '../../errors.js';
import { createDestinationFakes, PANEL_FLAVOURS, SANDBOX_DESTINATION_CREDENTIALS, SANDBOX_ENVIRONMENT, sandboxBanner, startSandbox, type PanelFlavourName } from '../../../sandbox/index.js';
import { dateFlag } from '../calendar.js';
import type { Command } from '../command.js';
import { portFlag } from '../port-flag.js';
import { waitForStop } from '../wait-for-stop.js';
import { flagChoice, type TypedCommandLine } from '../flag-choice.js';

export const sandboxCommand: Command = {
  usage:
    'ledgerline sandbox [--seed N] [--port P] [--start DATE] [--today DATE] [--rate-limit N] [--panel-flavour NAME] [--panel-webhook URL] [--payelancer-webhook URL] [--webhook-secret S]',
  options: {
    seed: { type: 'string', value: 'N', description: 'random seed of a generated world (default: the fixed scripted world)' },
    port: { type: 'string', value: 'P', description: 'listen on 127.0.0.1:P (default 8787)' },
    start: { type: 'string', value: 'DATE', description: "the world's first day" },
    today: { type: 'string', value: 'DATE', description: "the sandbox's day at start (default: the first day)" },
    'rate-limit': { type: 'string', value: 'N', description: "the panel's requests per minute before it answers 429" },
    'panel-flavour': { type: 'string', value: 'NAME', description: `answer as this family of panel scripts: ${PANEL_FLAVOURS.join(', ')} (default seed)` },
    'panel-webhook': { type: 'string', value: 'URL', description: "send the panel's order updates to URL" },
    'payelancer-webhook': { type: 'string', value: 'URL', description: "send the ad network's conversions to URL" },
    'webhook-secret': { type: 'string', value: 'S', description: 'sign or address webhooks with this secret' },
  },
  examples: [
    'ledgerline sandbox              # both APIs and the Xero/QuickBooks fakes on 127.0.0.1:8787',
    'ledgerline sandbox --port 9797 --seed 7',
    'ledgerline sandbox --panel-flavour smartpanel   # errors inside HTTP 200, PHP types, unrounded DOUBLE money',
  ],
  async run(context) {
    const seed = integerFlag('--seed', context.values.seed);
    const port = portFlag(context.values.port) ?? 8787;
    const rateLimitPerMinute = integerFlag('--rate-limit', context.values['rate-limit']);
    const startDate = dateFlag('--start', context.values.start);
    const today = dateFlag('--today', context.values.today);
    const panelFlavour = flavourFlag(context, context.values['panel-flavour']);
    const text = (flag: string) => (typeof context.values[flag] === 'string' ? (context.values[flag] as string) : undefined);
    const panelUrl = text('panel-webhook');
    const payelancerUrl = text('payelancer-webhook');
    const secret = text('webhook-secret');
    if (secret !== undefined) context.addSecrets([secret]);
    const webhooks =
      panelUrl === undefined && payelancerUrl === undefined
        ? undefined
        : { ...(panelUrl === undefined ? {} : { panelUrl }), ...(payelancerUrl === undefined ? {} : { payelancerUrl }), ...(secret === undefined ? {} : { secret }) };
    const fakes = createDestinationFakes();
    const sandbox = await startSandbox({
      port,
      panelFlavour,
      ...(seed === undefined ? {} : { seed }),
      ...(startDate === undefined ? {} : { startDate }),
      ...(today === undefined ? {} : { today }),
      ...(rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute }),
      ...(webhooks === undefined ? {} : { webhooks }),
      extraMounts: [fakes.xero, fakes.quickbooks],
    });
    context.stdout.write(sandboxBanner(sandbox));
    context.stdout.write(
      [
        `  Xero fake          ${sandbox.baseUrl}/xero/api.xro/2.0 (token ${sandbox.baseUrl}/xero/connect/token)`,
        `                     tenant ${SANDBOX_DESTINATION_CREDENTIALS.xero.tenantId}`,
        `  QuickBooks fake    ${sandbox.baseUrl}/quickbooks (token ${sandbox.baseUrl}/quickbooks/oauth2/v1/tokens/bearer)`,
        `                     realm ${SANDBOX_DESTINATION_CREDENTIALS.quickbooks.realmId}`,
        '',
        'A configuration written by `ledgerline init` talks to this sandbox with:',
        ...Object.entries(SANDBOX_ENVIRONMENT).map(([name, value]) => `  export ${name}=${value}`),
        '',
        'Stop with Ctrl-C.',
        '',
      ].join('\n'),
    );
    await waitForStop(context.stopSignal);
    await sandbox.close();
    return EXIT.ok;
  },
};

function flavourFlag(typed: TypedCommandLine, value: unknown): PanelFlavourName {
  if (value === undefined) return 'seed';
  return flagChoice(typed, '--panel-flavour', value, PANEL_FLAVOURS);
}

function integerFlag(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}
