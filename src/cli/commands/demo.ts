import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { loadConfig } from '../../config/index.js';
import { configKinds } from '../../pipeline/kinds/index.js';
import { formatCents, formatMicros, toCents } from '../../money/index.js';
import { addDays } from '../../rules/index.js';
import {
  createDestinationFakes,
  SANDBOX_ENVIRONMENT,
  SANDBOX_SECOND_ORGANISATION,
  startSandbox,
  startSandboxFleet,
  writeFakesBooks,
} from '../../../sandbox/index.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { withBooksFor } from '../load.js';
import { DEMO_FAKES_FILE, DEMO_SANDBOX_FILE, demoMonthEnd } from '../demo-month-end.js';
import { FLEET_DEMO_START, fleetDemo } from '../demo-fleet.js';
import {
  centsTrialBalance,
  claimEmptyFolder,
  expectOk,
  fetchText,
  reconcileLine,
  runSubcommand,
  type SubcommandResult,
} from '../demo-steps.js';

const DEMO_DAYS = 35;
/** Both demos post to the Xero fake (the QuickBooks fake takes the month-end's bank side). */
const DEMO_DESTINATION = 'xero';
const DEMO_START = '2026-03-01';

export const demoCommand: Command = withFlags({
  usage: 'ledgerline demo [--dir PATH] [--seed N] [--fleet [--panels N] [--publishers M]]',
  flags: z.object({
    dir: flag.text('PATH', 'work in this folder (new or empty; default: a fresh scratch folder)'),
    seed: flag.wholeNumber('N', "the sandbox world's random seed (default: the fixed demo world)").default(7),
    fleet: flag.boolean('a fleet in two entities instead: five nights, then the fleet view and the exception queue'),
    panels: flag.wholeNumber('N', 'with --fleet: how many panels (default 8)', 3).default(8),
    publishers: flag.wholeNumber('N', 'with --fleet: how many publisher accounts (default 2)', 1).default(2),
  }),
  examples: [
    'ledgerline demo                 # the whole path in a scratch folder',
    'ledgerline demo --dir ./trial   # keep the files in ./trial',
    'ledgerline demo --fleet         # 8 panels and 2 publishers in two entities, as a practice sees them',
  ],
  async run(context) {
    const { seed } = context.flags;
    const dir =
      context.flags.dir === undefined
        ? mkdtempSync(join(tmpdir(), 'ledgerline-demo-'))
        : claimEmptyFolder(resolve(context.cwd, context.flags.dir));
    const say = (line: string) => context.stdout.write(`${line}\n`);
    if (context.flags.fleet) return runFleetDemo(context, dir, say);
    const started = Date.now();
    const fakes = createDestinationFakes();
    const sandbox = await startSandbox({
      port: 0,
      seed,
      startDate: DEMO_START,
      extraMounts: [fakes.xero, fakes.quickbooks],
    });
    try {
      say(`ledgerline demo in ${dir}`);
      say(
        `sandbox (seed ${seed}) on ${sandbox.baseUrl}: simulated ad network and SMM panel, Xero and QuickBooks fakes`,
      );
      const { configPath, env, run } = subcommandsIn(context, dir);
      await expectOk(run(['init', '--sandbox-url', sandbox.baseUrl]), 'init');
      say(`1. init: wrote ledgerline.yaml and mappings/, created data/ledger.sqlite`);

      const attention = await syncDemoDays(sandbox, run, join(dir, 'orders.csv'));
      say(
        `2. sync: ${DEMO_DAYS} closes, ${DEMO_START} to ${addDays(DEMO_START, DEMO_DAYS - 1)} (${attention} with an action item for a person)`,
      );

      const posted = await run(['post', DEMO_DESTINATION]);
      say(
        posted.exitCode === EXIT.ok || posted.exitCode === EXIT.attention
          ? `3. post: delivered to the Xero fake (${fakes.xero.journals().length} manual journals there)`
          : `3. post: ${posted.stderr.trim().split('\n')[0] ?? `exit ${posted.exitCode}`}`,
      );

      for (const format of ['generic', 'xero', 'quickbooks']) {
        await expectOk(
          run(['export', '--format', format, '--out', join(dir, `export-${format}.csv`)]),
          `export ${format}`,
        );
      }
      say(`4. export: export-generic.csv, export-xero.csv, export-quickbooks.csv`);

      say(await reconcileLine(run));

      for (const line of await trialBalanceLines(configPath, env, dir, sandbox)) say(line);
      say('');
      for (const line of await demoMonthEnd(dir, { ...sandbox, today: () => sandbox.today() }, run)) say(line);
      // The fakes' books too: a resumed sandbox holds what was posted and locked, so `reconcile --with` reads no change.
      writeFakesBooks(fakes, join(dir, DEMO_FAKES_FILE));
      say('');
      const main = fileURLToPath(new URL('../main.js', import.meta.url));
      say(`everything is in ${dir}; go on from its books with the same sandbox world (in another terminal):`);
      say(
        `  node ${main} sandbox --resume ${dir}      # serves the world of ${DEMO_SANDBOX_FILE} where ledgerline.yaml looks`,
      );
      say(`  node ${main} --config ${configPath} status`);
      const elapsedMs = Date.now() - started;
      say(`done in ${Math.floor(elapsedMs / 1000)}.${Math.floor((elapsedMs % 1000) / 100)} s`);
      return EXIT.ok;
    } finally {
      await sandbox.close();
    }
  },
});

/**
 * The books after the month's nights: the trial balance in cents as posted to Xero (debits = credits), and the
 * panel's balance at the last close beside the ledger's panel_prepaid, to the cent and exactly.
 */
async function trialBalanceLines(
  configPath: string,
  env: NodeJS.ProcessEnv,
  dir: string,
  sandbox: Awaited<ReturnType<typeof startSandbox>>,
): Promise<string[]> {
  // Read as the subcommands read it; its secrets are the sandbox's, not registered for redaction here.
  const config = loadConfig({ path: configPath, env, cwd: dir, need: {}, kinds: configKinds() });
  return withBooksFor(config, {}, async ({ ledger }) => {
    const trial = await centsTrialBalance(ledger);
    const panelBalance = sandbox.stateOn(addDays(DEMO_START, DEMO_DAYS - 1)).panel.balance;
    const ledgerPanel = await ledger.balanceOf('panel_prepaid', 'USD');
    return [
      '',
      'trial balance (USD, in cents as posted to Xero):',
      ...[...trial.balances].map(([account, cents]) => `  ${account.padEnd(26)} ${formatCents(cents).padStart(14)}`),
      `  debits = credits = ${formatCents(trial.debits)}`,
      `panel balance at the last close: sandbox ${formatCents(toCents(panelBalance))}, ledger panel_prepaid ` +
        `${formatCents(toCents(ledgerPanel))} (exactly ${formatMicros(panelBalance, 5)} and ${formatMicros(ledgerPanel, 5)})`,
    ];
  });
}

/** Another ledgerline command run in this process on the demo folder's configuration, with the sandbox's secrets. */
function subcommandsIn(context: CommandProcess, dir: string) {
  const configPath = join(dir, 'ledgerline.yaml');
  const env = { ...context.env, ...SANDBOX_ENVIRONMENT };
  const run = (args: string[]) =>
    runSubcommand(context, dir, env, ['--config', configPath, '--log-level', 'error', ...args]);
  return { configPath, env, run };
}

/** `demo --fleet`: the fleet sandbox with two entities, each posting to its own organisation of the Xero fake. */
async function runFleetDemo(
  context: CommandProcess & { flags: { seed: number; panels: number; publishers: number } },
  dir: string,
  say: (line: string) => void,
): Promise<ExitCode> {
  const { seed, panels, publishers } = context.flags;
  const { fleet, fakes } = await startSandboxFleet({
    ...{ panels, publishers, seed, port: 0, chart: 'full', dir, twoEntities: true },
    ...{ startDate: FLEET_DEMO_START, today: FLEET_DEMO_START },
  });
  try {
    const odd = fleet.sources.filter((source) => source.role !== 'steady');
    return await fleetDemo({
      ...{ dir, say, main: fileURLToPath(new URL('../main.js', import.meta.url)), destination: DEMO_DESTINATION },
      run: subcommandsIn(context, dir).run,
      world: {
        start: FLEET_DEMO_START,
        said: `sandbox fleet (seed ${seed}): ${panels} panels and ${publishers} publisher account${publishers === 1 ? '' : 's'} on ${fleet.members.length} ports from ${fleet.lead.baseUrl}; not steady: ${odd.map((source) => `${source.id} ${source.role}`).join(', ') || 'none'}`,
        nextDay: () => void fleet.lead.advanceDays(1),
        journalsHeld: () => [
          fakes.xero.journals().length,
          fakes.xero.organisation(SANDBOX_SECOND_ORGANISATION.xero.tenantId).journals().length,
        ],
      },
    });
  } finally {
    await fleet.close();
  }
}

/** Each demo day: the sandbox moves to it, its orders file is written, and its close is synced; returns how many closes left an action item. */
async function syncDemoDays(
  sandbox: Awaited<ReturnType<typeof startSandbox>>,
  run: (args: string[]) => Promise<SubcommandResult>,
  ordersFile: string,
): Promise<number> {
  let attention = 0;
  for (let day = 0; day < DEMO_DAYS; day += 1) {
    const date = addDays(DEMO_START, day);
    sandbox.setToday(date);
    writeFileSync(ordersFile, await fetchText(`${sandbox.adminUrl}/orders.csv`));
    const result = await run(['sync', '--as-of', date, '--orders-file', ordersFile]);
    if (result.exitCode === EXIT.attention) attention += 1;
    else if (result.exitCode !== EXIT.ok)
      throw new UsageError(`demo: sync of ${date} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
  }
  return attention;
}
