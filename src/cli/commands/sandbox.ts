import { join, resolve } from 'node:path';
import { z } from 'zod';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import {
  DESTINATION_CHARTS,
  PANEL_FLAVOURS,
  SANDBOX_REGIONS,
  startSandboxFleet,
  startSandboxWithFakes,
} from '../../../sandbox/index.js';
import type { Command, CommandContext } from '../command.js';
import { DEMO_FAKES_FILE, DEMO_SANDBOX_FILE } from '../../app/demo/month-end.js';
import { flag, withFlags } from '../flags.js';
import { waitForStop } from '../../app/wait-for-stop.js';
import { refuseSupplierCurrencyAlone, supplierCurrencyFlag } from '../sandbox-url-flag.js';

const sandboxFlags = z.object({
  resume: flag.text(
    'DIR',
    'serve the world a demo left in DIR (its sandbox.json: seed, first day, day and port), where ' +
      "its ledgerline.yaml looks, with the Xero and QuickBooks fakes' books of sandbox-fakes.json, " +
      'kept up to date there',
  ),
  seed: flag.wholeNumber('N', 'random seed of a generated world (default: the fixed scripted world)'),
  port: flag.port('P', 'listen on 127.0.0.1:P (default 8787, or the resumed one)'),
  start: flag.calendarDate('DATE', "the world's first day"),
  today: flag.calendarDate('DATE', "the sandbox's day at start (default: the first day)"),
  'rate-limit': flag.wholeNumber('N', "the panel's requests per minute before it answers 429"),
  'panel-flavour': flag
    .choice(
      PANEL_FLAVOURS,
      'NAME',
      `answer as this family of panel scripts: ${PANEL_FLAVOURS.join(', ')} (default seed)`,
    )
    .default('seed'),
  'panel-webhook': flag.text('URL', "send the panel's order updates to URL"),
  'payelancer-webhook': flag.text('URL', "send the ad network's conversions to URL"),
  'webhook-secret': flag.text('S', 'sign or address webhooks with this secret'),
  'destination-chart': flag
    .choice(
      DESTINATION_CHARTS,
      'CHART',
      "the Xero and QuickBooks fakes' chart: full, or without-bank-fees (no Xero 404 / QuickBooks " +
        '15, as an organisation set up before the chart had bank_fees)',
    )
    .default('full'),
  region: flag.choice(
    SANDBOX_REGIONS,
    'REGION',
    'the Xero organisation and QuickBooks company play a business of this region: its country, currency (the ' +
      "panel's too) and the vendors' default tax rates, to rehearse a VAT/GST set-up (init --region REGION --vat-registered)",
  ),
  'supplier-currency': supplierCurrencyFlag(),
  panels: flag.wholeNumber('N', 'serve a fleet: N panels (some slow, the last failing with 502s, one silent)', 1),
  publishers: flag.wholeNumber('N', 'serve a fleet: N publisher accounts of the ad network', 1),
  'fleet-dir': flag.text('DIR', "where a fleet's sources.csv and ledgerline.yaml are written (default: .)"),
});

export const sandboxCommand: Command = withFlags({
  usage:
    'ledgerline sandbox [--resume DIR] [--seed N] [--port P] [--start DATE] [--today DATE] [--rate-limit ' +
    'N] [--panel-flavour NAME] [--panel-webhook URL] [--payelancer-webhook URL] [--webhook-secret ' +
    'S] [--destination-chart full|without-bank-fees] [--region uk|au|nz|us] [--panels N --publishers M [--fleet-dir DIR]]',
  flags: sandboxFlags,
  examples: [
    'ledgerline sandbox              # both APIs and the Xero/QuickBooks fakes on 127.0.0.1:8787',
    'ledgerline sandbox --port 9797 --seed 7',
    'ledgerline sandbox --panel-flavour smartpanel   # errors inside HTTP 200, PHP types, unrounded DOUBLE money',
    'ledgerline sandbox --region uk   # a UK organisation and company (GBP, 20 % VAT): then init --sandbox-url … --region uk --vat-registered',
    'ledgerline sandbox --destination-chart without-bank-fees   # rehearse an upgrade against an organisation lacking the bank-fees account',
    'curl -X POST http://127.0.0.1:8787/xero/__admin/lock-dates -d \'{"periodLockDate": "2026-03-31"}\' ' +
      '  # lock Xero through March (PeriodLockDate; also endOfYearLockDate; null clears)',
    'curl -X POST http://127.0.0.1:8787/quickbooks/__admin/close-date -d \'{"bookCloseDate": "2026-03-31"}\' ' +
      '  # close the QuickBooks books through March (null reopens)',
    'curl "http://127.0.0.1:8787/xero/__admin/trial-balance?date=2026-03-31"   # the fakes\' trial balances, no token ' +
      '(QuickBooks: /quickbooks/__admin/trial-balance?end_date=2026-03-31)',
    "ledgerline sandbox --resume /tmp/ledgerline-demo-XXXX   # the demo's world again, to go on from its books",
    'curl "http://127.0.0.1:8787/bank/statement?from=2026-03-01&to=2026-03-31&format=camt053"   # the bank statement (camt053, ofx, ofx1, csv)',
  ],
  async run(context) {
    const { panels, publishers } = context.flags;
    if (panels !== undefined || publishers !== undefined) {
      if (context.flags.region !== undefined)
        throw new UsageError('--region plays one organisation; it does not go with --panels or --publishers');
      return runFleet(context);
    }
    const { flags } = context;
    refuseSupplierCurrencyAlone(flags);
    const { sandbox, banner } = await startSandboxWithFakes({
      port: flags.port,
      panelFlavour: flags['panel-flavour'],
      seed: flags.seed,
      startDate: flags.start,
      today: flags.today,
      rateLimitPerMinute: flags['rate-limit'],
      webhooks: webhooksOf(context),
      chart: flags['destination-chart'],
      region: flags.region,
      supplierCurrency: flags['supplier-currency'],
      resume: demoFolder(context),
    });
    context.stdout.write(banner);
    await waitForStop(context.stopSignal);
    await sandbox.close();
    return EXIT.ok;
  },
});

type SandboxContext = CommandContext<z.output<typeof sandboxFlags>>;

async function runFleet(context: SandboxContext): Promise<ExitCode> {
  const { flags } = context;
  if (flags.resume !== undefined)
    throw new UsageError('--resume serves one demo world; it does not go with --panels or --publishers');
  const { fleet, banner } = await startSandboxFleet({
    panels: flags.panels ?? 0,
    publishers: flags.publishers ?? 0,
    seed: flags.seed,
    startDate: flags.start,
    today: flags.today,
    port: flags.port ?? 8787,
    chart: flags['destination-chart'],
    dir: resolve(context.cwd, flags['fleet-dir'] ?? '.'),
    twoEntities: true,
  });
  context.stdout.write(banner);
  await waitForStop(context.stopSignal);
  await fleet.close();
  return EXIT.ok;
}

/** The folder `--resume` names and the files a demo left there; undefined without it. */
function demoFolder(context: SandboxContext) {
  if (context.flags.resume === undefined) return undefined;
  const dir = resolve(context.cwd, context.flags.resume);
  return { dir, files: { world: join(dir, DEMO_SANDBOX_FILE), fakesBooks: join(dir, DEMO_FAKES_FILE) } };
}

/** Where the sandbox sends the panel's and the ad network's webhooks, and the secret it signs them with; undefined when neither. */
function webhooksOf(context: SandboxContext) {
  const { 'panel-webhook': panelUrl, 'payelancer-webhook': payelancerUrl, 'webhook-secret': secret } = context.flags;
  if (secret !== undefined) context.addSecrets([secret]);
  if (panelUrl === undefined && payelancerUrl === undefined) return undefined;
  return {
    ...(panelUrl === undefined ? {} : { panelUrl }),
    ...(payelancerUrl === undefined ? {} : { payelancerUrl }),
    ...(secret === undefined ? {} : { secret }),
  };
}
