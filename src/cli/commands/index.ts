import type { Command, CommandEntry } from '../command.js';
import type { LedgerMode } from '../../app/ledger-mode.js';
import { COMMAND_SUMMARIES, type CommandName } from '../command-summaries.js';
import { sourceKinds } from '../../pipeline/kinds/index.js';

/**
 * Each command's module, loaded only when it runs, so a nightly `ledgerline sync` does not pay for loading the
 * sandbox, the SDKs or the scheduler.
 */
const LOADERS: Readonly<Record<CommandName, () => Promise<Command>>> = {
  init: async () => (await import('./init.js')).initCommand,
  migrate: async () => (await import('./migrate.js')).migrateCommand,
  sync: async () => (await import('./sync.js')).syncCommand,
  bank: async () => (await import('./bank.js')).bankCommand,
  connect: async () => (await import('./connect.js')).connectCommand,
  disconnect: async () => (await import('./disconnect.js')).disconnectCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  sources: async () => (await import('./sources.js')).sourcesCommand,
  post: async () => (await import('./post.js')).postCommand,
  adjust: async () => (await import('./adjust.js')).adjustCommand,
  export: async () => (await import('./export.js')).exportCommand,
  balances: async () => (await import('./balances.js')).balancesCommand,
  vat: async () => (await import('./vat.js')).vatCommand,
  report: async () => (await import('./report.js')).reportCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  reconcile: async () => (await import('./reconcile.js')).reconcileCommand,
  transit: async () => (await import('./transit.js')).transitCommand,
  verify: async () => (await import('./verify.js')).verifyCommand,
  restore: async () => (await import('./restore.js')).restoreCommand,
  close: async () => (await import('./close.js')).closeCommand,
  status: async () => (await import('./status.js')).statusCommand,
  exceptions: async () => (await import('./exceptions.js')).exceptionsCommand,
  metrics: async () => (await import('./metrics.js')).metricsCommand,
  digest: async () => (await import('./digest.js')).digestCommand,
  worker: async () => (await import('./worker.js')).workerCommand,
  webhooks: async () => (await import('./webhooks.js')).webhooksCommand,
  schedule: async () => (await import('./schedule.js')).scheduleCommand,
  sandbox: async () => (await import('./sandbox.js')).sandboxCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  evidence: async () => (await import('./evidence.js')).evidenceCommand,
};

/**
 * How each command opens the ledger (app/ledger-mode.ts), the most any of its verbs does: only these may create one.
 * A step that does less asks for less (`atMost`: `reconcile` listing reads), never for more.
 */
const LEDGER_MODES: Readonly<Record<CommandName, LedgerMode | 'none'>> = {
  init: 'create',
  migrate: 'create',
  sync: 'create',
  schedule: 'create',
  worker: 'create',
  demo: 'create',
  restore: 'create',
  // A first statement may come before the first sync; doctor is run on a new set-up before anything is booked.
  bank: 'create',
  doctor: 'create',
  post: 'write',
  adjust: 'write',
  vat: 'write',
  serve: 'write',
  reconcile: 'write',
  transit: 'write',
  close: 'write',
  exceptions: 'write',
  webhooks: 'write',
  export: 'read',
  verify: 'read',
  status: 'read',
  metrics: 'read',
  digest: 'read',
  evidence: 'read',
  balances: 'read-only',
  report: 'read-only',
  connect: 'none',
  disconnect: 'none',
  sources: 'none',
  sandbox: 'none',
};

/** Help lists the commands the source kinds bring (the panel's `panel-proxy`) after this one, beside what serves a source. */
const KIND_COMMANDS_AFTER: CommandName = 'webhooks';

/**
 * The command table, in the order `--help` lists it: each command's summary and ledger mode beside its loader, and the registered
 * source kinds' own commands, read when asked so a plug-in's are listed too. A kind's command named as another is a bug.
 */
export function commandTable(): CommandEntry[] {
  const builtIn = (Object.keys(COMMAND_SUMMARIES) as CommandName[]).map((name) => ({
    name,
    get summary() {
      const summary: string | (() => string) = COMMAND_SUMMARIES[name];
      return typeof summary === 'string' ? summary : summary();
    },
    ledger: LEDGER_MODES[name],
    load: LOADERS[name],
  }));
  const taken = new Set<string>(builtIn.map((entry) => entry.name));
  const ofKinds = sourceKinds.commands().map(({ name, summary, ledger, load }): CommandEntry => {
    if (taken.has(name)) throw new Error(`a source kind brings the command "${name}", which ledgerline has already`);
    taken.add(name);
    // The kind's module exports a Command (src/cli/command.ts); the registry does not type the CLI.
    return { name, summary, ledger, load: load as () => Promise<Command> };
  });
  return builtIn.flatMap((entry) => (entry.name === KIND_COMMANDS_AFTER ? [entry, ...ofKinds] : [entry]));
}
