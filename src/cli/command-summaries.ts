import { apiDestinationServices, exportFormatNames } from '../app/destination-choices.js';

/**
 * What `ledgerline help` says of each command, in the order it lists them. A summary that names the destinations is
 * read when help is shown, from the destination registry, so a plug-in's kind is named too.
 */
export const COMMAND_SUMMARIES = {
  init: 'write an example ledgerline.yaml and mappings/, and create the ledger',
  migrate: 'create the ledger database or bring its schema up to date',
  sync: 'take the close of a day from the sources and book what changed',
  bank:
    'import a bank statement (camt.053, OFX, CSV): its lines landed, each once, the bank legs of the payouts and ' +
    "top-ups they settle booked, and an account's first statement's opening balance; list the lines",
  connect: () =>
    `connect your books at ${apiDestinationServices()}: the consent page in a browser, tokens into the token store`,
  disconnect: () => `revoke the authorization at ${apiDestinationServices()} and empty its token store entry`,
  doctor:
    "check the configuration, each source, each destination's token and organisation (accounts, " +
    'tax, tracking, classes, lock date, currency, region) before posting',
  sources: "test each configured source with one read-only call (a panel's balance, the ad network's stats): a table",
  post: () => `deliver unposted journal entries to ${apiDestinationServices()}, each exactly once`,
  adjust:
    'book an adjusting entry by hand (who, when, why), optionally explaining a finding; approve one (adjust approve ID)',
  export: () => `the journal entries as a file for an accountant or another ledger (${exportFormatNames().join(', ')})`,
  balances: "the trial balance at a date, or each account's movement over a period (profit and loss)",
  vat: "the return's boxes for a quarter or month from the ledger's own tax lines; `vat file` marks one filed",
  report: "one offline HTML page: each source's period, balance and payout charts, the reconcile checklist, delivery",
  serve:
    'a local web console over the ledger: the report for any window, acknowledge or reopen findings with a note, recent runs, delivery, downloads',
  reconcile: 'list what needs a look (exit 1 when anything does)',
  transit:
    'money in transit: each payout and top-up with its state, age and bank line (exit 1 when one is late or differs)',
  verify: "recompute the journal's hash chain and name the first entry that breaks it (exit 1)",
  restore:
    'put a backup of the ledger back, deliberately: recorded with its reason in the witness, listing what it removed',
  close: 'close a month: refuses while anything blocks it, else writes its certificate and books nothing more into it',
  status: 'last runs, open orders, unposted entries, open discrepancies',
  exceptions: "a person's word on an item of status --exceptions: acknowledge it, assign it to someone, note it",
  metrics:
    "the facts of status in Prometheus' text format (last success per command, lag per source, open items, money in transit by age, token days left)",
  digest:
    'what needs a person across the entities, grouped by kind, sent through the alert channels (--dry-run prints it)',
  worker:
    'PostgreSQL ledger: take close jobs from the queue in its database (many workers close different sources at once)',
  webhooks: "receive the ad network's conversion webhooks and the panel's order updates",
  schedule: 'run sync, then post the synced days, on the configured cron schedule; never two runs at once',
  sandbox: 'serve simulators of the ad network and the SMM panel, and fakes of Xero and QuickBooks',
  demo: 'the whole path on the sandbox in a scratch folder: init, 35 days of sync, post to Xero, export, reconcile',
  evidence: "write a posted journal's evidence (its source replies, events, lines and manifest) to a zip file",
} as const satisfies Record<string, string | (() => string)>;

/** A command's name, as typed after `ledgerline`. */
export type CommandName = keyof typeof COMMAND_SUMMARIES;
