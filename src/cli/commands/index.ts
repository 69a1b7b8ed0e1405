import type { CommandEntry } from '../command.js';
import { apiDestinationServices, exportFormatNames } from '../destination-choices.js';

/**
 * The command table, in the order `--help` lists it. Each command's module is
 * loaded only when it runs, so a nightly `ledgerline sync` does not pay for
 * loading the sandbox, the SDKs or the scheduler.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'write an example ledgerline.yaml and mappings/, and create the ledger',
    load: async () => (await import('./init.js')).initCommand,
  },
  {
    name: 'migrate',
    summary: 'create the ledger database or bring its schema up to date',
    load: async () => (await import('./migrate.js')).migrateCommand,
  },
  {
    name: 'sync',
    summary: 'take the close of a day from the sources and book what changed',
    load: async () => (await import('./sync.js')).syncCommand,
  },
  {
    name: 'bank',
    summary:
      'import a bank statement (camt.053, OFX, CSV): its lines landed raw, each once, as evidence for the money in transit',
    load: async () => (await import('./bank.js')).bankCommand,
  },
  {
    name: 'connect',
    // Read when help is shown, from the destination registry, so a plug-in's kind is named too.
    get summary() {
      return `connect your books at ${apiDestinationServices()}: the consent page in a browser, tokens into the token store`;
    },
    load: async () => (await import('./connect.js')).connectCommand,
  },
  {
    name: 'disconnect',
    get summary() {
      return `revoke the authorization at ${apiDestinationServices()} and empty its token store entry`;
    },
    load: async () => (await import('./disconnect.js')).disconnectCommand,
  },
  {
    name: 'doctor',
    summary:
      "check the configuration, each source, each destination's token and organisation (accounts, " +
      'tax, tracking, classes, lock date, currency, region) before posting',
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
  {
    name: 'sources',
    summary: "test each configured source with one read-only call (a panel's balance, the ad network's stats): a table",
    load: async () => (await import('./sources.js')).sourcesCommand,
  },
  {
    name: 'post',
    get summary() {
      return `deliver unposted journal entries to ${apiDestinationServices()}, each exactly once`;
    },
    load: async () => (await import('./post.js')).postCommand,
  },
  {
    name: 'adjust',
    summary:
      'book an adjusting entry by hand (who, when, why), optionally explaining a finding; approve one (adjust approve ID)',
    load: async () => (await import('./adjust.js')).adjustCommand,
  },
  {
    name: 'export',
    get summary() {
      return `the journal entries as a file for an accountant or another ledger (${exportFormatNames().join(', ')})`;
    },
    load: async () => (await import('./export.js')).exportCommand,
  },
  {
    name: 'balances',
    summary: "the trial balance at a date, or each account's movement over a period (profit and loss)",
    load: async () => (await import('./balances.js')).balancesCommand,
  },
  {
    name: 'vat',
    summary: "the return's boxes for a quarter or month from the ledger's own tax lines; `vat file` marks one filed",
    load: async () => (await import('./vat.js')).vatCommand,
  },
  {
    name: 'report',
    summary:
      "one offline HTML page: each source's period, balance and payout charts, the reconcile checklist, delivery",
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    name: 'serve',
    summary:
      'a local web console over the ledger: the report for any window, acknowledge or reopen findings with a note, recent runs, delivery, downloads',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'reconcile',
    summary: 'list what needs a look (exit 1 when anything does)',
    load: async () => (await import('./reconcile.js')).reconcileCommand,
  },
  {
    name: 'transit',
    summary:
      'money in transit: each payout and top-up with its state, age and bank line (exit 1 when one is late or differs)',
    load: async () => (await import('./transit.js')).transitCommand,
  },
  {
    name: 'verify',
    summary: "recompute the journal's hash chain and name the first entry that breaks it (exit 1)",
    load: async () => (await import('./verify.js')).verifyCommand,
  },
  {
    name: 'restore',
    summary:
      'put a backup of the ledger back, deliberately: recorded with its reason in the witness, listing what it removed',
    load: async () => (await import('./restore.js')).restoreCommand,
  },
  {
    name: 'close',
    summary:
      'close a month: refuses while anything blocks it, else writes its certificate and books nothing more into it',
    load: async () => (await import('./close.js')).closeCommand,
  },
  {
    name: 'status',
    summary: 'last runs, open orders, unposted entries, open discrepancies',
    load: async () => (await import('./status.js')).statusCommand,
  },
  {
    name: 'exceptions',
    summary: "a person's word on an item of status --exceptions: acknowledge it, assign it to someone, note it",
    load: async () => (await import('./exceptions.js')).exceptionsCommand,
  },
  {
    name: 'metrics',
    summary:
      "the facts of status in Prometheus' text format (last success per command, lag per source, open items, money in transit by age, token days left)",
    load: async () => (await import('./metrics.js')).metricsCommand,
  },
  {
    name: 'digest',
    summary:
      'what needs a person across the entities, grouped by kind, sent through the alert channels (--dry-run prints it)',
    load: async () => (await import('./digest.js')).digestCommand,
  },
  {
    name: 'worker',
    summary:
      'PostgreSQL ledger: take close jobs from the queue in its database (many workers close different sources at once)',
    load: async () => (await import('./worker.js')).workerCommand,
  },
  {
    name: 'webhooks',
    summary: "receive the ad network's conversion webhooks and the panel's order updates",
    load: async () => (await import('./webhooks.js')).webhooksCommand,
  },
  {
    name: 'panel-proxy',
    summary:
      'a pass-through in front of an SMM panel that records every order placed through it, so sync needs no orders file',
    load: async () => (await import('./panel-proxy.js')).panelProxyCommand,
  },
  {
    name: 'schedule',
    summary: 'run sync, then post the synced days, on the configured cron schedule; never two runs at once',
    load: async () => (await import('./schedule.js')).scheduleCommand,
  },
  {
    name: 'sandbox',
    summary: 'serve simulators of the ad network and the SMM panel, and fakes of Xero and QuickBooks',
    load: async () => (await import('./sandbox.js')).sandboxCommand,
  },
  {
    name: 'demo',
    summary:
      'the whole path on the sandbox in a scratch folder: init, 35 days of sync, post to Xero, export, reconcile',
    load: async () => (await import('./demo.js')).demoCommand,
  },
  {
    name: 'evidence',
    summary: "write a posted journal's evidence (its source replies, events, lines and manifest) to a zip file",
    load: async () => (await import('./evidence.js')).evidenceCommand,
  },
];
