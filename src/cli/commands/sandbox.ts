import { z } from 'zod';
import { EXIT } from '../../errors.js';
import { createDestinationFakes, DESTINATION_CHARTS, PANEL_FLAVOURS, SANDBOX_DESTINATION_CREDENTIALS, SANDBOX_ENVIRONMENT, sandboxBanner, startSandbox } from '../../../sandbox/index.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { waitForStop } from '../wait-for-stop.js';

export const sandboxCommand: Command = withFlags({
  usage:
    'ledgerline sandbox [--seed N] [--port P] [--start DATE] [--today DATE] [--rate-limit N] [--panel-flavour NAME] [--panel-webhook URL] [--payelancer-webhook URL] [--webhook-secret S] [--destination-chart full|without-bank-fees]',
  flags: z.object({
    seed: flag.wholeNumber('N', 'random seed of a generated world (default: the fixed scripted world)'),
    port: flag.port('P', 'listen on 127.0.0.1:P (default 8787)').default(8787),
    start: flag.calendarDate('DATE', "the world's first day"),
    today: flag.calendarDate('DATE', "the sandbox's day at start (default: the first day)"),
    'rate-limit': flag.wholeNumber('N', "the panel's requests per minute before it answers 429"),
    'panel-flavour': flag.choice(PANEL_FLAVOURS, 'NAME', `answer as this family of panel scripts: ${PANEL_FLAVOURS.join(', ')} (default seed)`).default('seed'),
    'panel-webhook': flag.text('URL', "send the panel's order updates to URL"),
    'payelancer-webhook': flag.text('URL', "send the ad network's conversions to URL"),
    'webhook-secret': flag.text('S', 'sign or address webhooks with this secret'),
    'destination-chart': flag
      .choice(DESTINATION_CHARTS, 'CHART', 'the Xero and QuickBooks fakes\' chart: full, or without-bank-fees (no Xero 404 / QuickBooks 15, as an organisation set up before the chart had bank_fees)')
      .default('full'),
  }),
  examples: [
    'ledgerline sandbox              # both APIs and the Xero/QuickBooks fakes on 127.0.0.1:8787',
    'ledgerline sandbox --port 9797 --seed 7',
    'ledgerline sandbox --panel-flavour smartpanel   # errors inside HTTP 200, PHP types, unrounded DOUBLE money',
    'ledgerline sandbox --destination-chart without-bank-fees   # rehearse an upgrade against an organisation lacking the bank-fees account',
    'curl -X POST http://127.0.0.1:8787/xero/__admin/lock-dates -d \'{"periodLockDate": "2026-03-31"}\'   # lock Xero through March (PeriodLockDate; also endOfYearLockDate; null clears)',
    'curl -X POST http://127.0.0.1:8787/quickbooks/__admin/close-date -d \'{"bookCloseDate": "2026-03-31"}\'   # close the QuickBooks books through March (null reopens)',
  ],
  async run(context) {
    const { seed, port, start: startDate, today, 'rate-limit': rateLimitPerMinute, 'panel-flavour': panelFlavour } = context.flags;
    const { 'panel-webhook': panelUrl, 'payelancer-webhook': payelancerUrl, 'webhook-secret': secret } = context.flags;
    if (secret !== undefined) context.addSecrets([secret]);
    const webhooks =
      panelUrl === undefined && payelancerUrl === undefined
        ? undefined
        : { ...(panelUrl === undefined ? {} : { panelUrl }), ...(payelancerUrl === undefined ? {} : { payelancerUrl }), ...(secret === undefined ? {} : { secret }) };
    const fakes = createDestinationFakes(undefined, context.flags['destination-chart']);
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
});
