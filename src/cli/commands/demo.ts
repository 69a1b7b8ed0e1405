import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EXIT, type ExitCode } from '../../errors.js';
import {
  createDestinationFakes,
  SANDBOX_ENVIRONMENT,
  SANDBOX_SECOND_ORGANISATION,
  startSandbox,
  startSandboxFleet,
  writeFakesBooks,
} from '../../../sandbox/index.js';
import type { Command, CommandProcess } from '../command.js';
import { subcommandsIn } from '../demo-subcommands.js';
import { flag, withFlags } from '../flags.js';
import { FLEET_DEMO_START, fleetDemo } from '../../app/demo/fleet.js';
import { claimEmptyFolder } from '../../app/demo/steps.js';
import { DEMO_START, monthDemo } from '../../app/demo/month.js';

/** Both demos post to the Xero fake (the QuickBooks fake takes the month-end's bank side). */
const DEMO_DESTINATION = 'xero';
/** The formats the month's journal is exported in, each a file in the demo's folder. */
const DEMO_EXPORT_FORMATS = ['generic', 'xero', 'quickbooks'];

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
      await monthDemo({
        dir,
        sandbox,
        said: `sandbox (seed ${seed}) on ${sandbox.baseUrl}: simulated ad network and SMM panel, Xero and QuickBooks fakes`,
        destination: DEMO_DESTINATION,
        journalsPosted: () => fakes.xero.journals().length,
        exportFormats: DEMO_EXPORT_FORMATS,
        keepFakesBooks: (file) => writeFakesBooks(fakes, file),
        ...subcommandsIn(context, dir, SANDBOX_ENVIRONMENT),
        say,
        main: mainScript(),
      });
      const elapsedMs = Date.now() - started;
      say(`done in ${Math.floor(elapsedMs / 1000)}.${Math.floor((elapsedMs % 1000) / 100)} s`);
      return EXIT.ok;
    } finally {
      await sandbox.close();
    }
  },
});

/** The CLI's entry, one folder above this command's chunk, for the commands the demo tells a person to run next. */
function mainScript(): string {
  return fileURLToPath(new URL('../main.js', import.meta.url));
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
    const { run, freshBooks } = subcommandsIn(context, dir, SANDBOX_ENVIRONMENT);
    freshBooks();
    return await fleetDemo({
      ...{ dir, say, main: mainScript(), destination: DEMO_DESTINATION, run },
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
