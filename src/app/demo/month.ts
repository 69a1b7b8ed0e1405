import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, UsageError } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';
import { formatCents, formatMicros, toCents } from '../../money/index.js';
import { addDays } from '../../rules/index.js';
import { DEMO_FAKES_FILE, DEMO_SANDBOX_FILE, demoMonthEnd, type DemoSandbox } from './month-end.js';
import { centsTrialBalance, expectOk, fetchText, reconcileLine, type SubcommandRunner } from './steps.js';

/** The demo's month: 35 nights from March 1, each a close of the sandbox's day. */
const DEMO_DAYS = 35;
export const DEMO_START = '2026-03-01';

/** What the demo's month needs of the running sandbox (the demo command hands it over: only it reaches the sandbox). */
interface DemoMonthSandbox {
  readonly adminUrl: string;
  setToday(date: string): void;
  stateOn(date: string): { readonly panel: { readonly balance: bigint } };
}

/** What the demo command hands the month's script: the sandbox it started (only it may), its runner, where to print. */
interface MonthDemoRequest {
  readonly dir: string;
  readonly configPath: string;
  readonly sandbox: DemoMonthSandbox & DemoSandbox;
  /** What the sandbox is, in one line. */
  readonly said: string;
  /** The Xero fake's destination, posted the month, and how many manual journals the fake then holds. */
  readonly destination: string;
  journalsPosted(): number;
  readonly exportFormats: readonly string[];
  /** Writes the destination fakes' books to `file`, which `ledgerline sandbox --resume` serves again. */
  keepFakesBooks(file: string): void;
  readonly run: SubcommandRunner;
  readonly readLedger: DemoLedgerReader;
  readonly say: (line: string) => void;
  /** The CLI's entry file, for the command lines it prints. */
  readonly main: string;
}

/**
 * `ledgerline demo`: the whole path on the sandbox through the real commands: init, the month's nights synced,
 * posted, exported and reconciled, the trial balance read back, then the month-end (demoMonthEnd), each step said
 * as it ends, and the commands to go on from its books.
 */
export async function monthDemo(request: MonthDemoRequest): Promise<void> {
  const { dir, sandbox, run, say } = request;
  say(`ledgerline demo in ${dir}`);
  say(request.said);
  await expectOk(run(['init', '--sandbox-url', sandbox.baseUrl]), 'init');
  say(`1. init: wrote ledgerline.yaml and mappings/, created data/ledger.sqlite`);
  say(await syncDemoDays(sandbox, run, join(dir, 'orders.csv')));
  const posted = await run(['post', request.destination]);
  say(
    posted.exitCode === EXIT.ok || posted.exitCode === EXIT.attention
      ? `3. post: delivered to the Xero fake (${request.journalsPosted()} manual journals there)`
      : `3. post: ${posted.stderr.trim().split('\n')[0] ?? `exit ${posted.exitCode}`}`,
  );
  say(await exportDemoFiles(run, dir, request.exportFormats));
  say(await reconcileLine(run));
  for (const line of await trialBalanceLines(request.readLedger, sandbox)) say(line);
  say('');
  for (const line of await demoMonthEnd(dir, sandbox, run)) say(line);
  // The fakes' books too: a resumed sandbox holds what was posted and locked, so `reconcile --with` reads no change.
  request.keepFakesBooks(join(dir, DEMO_FAKES_FILE));
  say('');
  say(`everything is in ${dir}; go on from its books with the same sandbox world (in another terminal):`);
  say(
    `  node ${request.main} sandbox --resume ${dir}      # serves the world of ${DEMO_SANDBOX_FILE} where ledgerline.yaml looks`,
  );
  say(`  node ${request.main} --config ${request.configPath} status`);
}

/**
 * Each demo day: the sandbox moves to it, its orders file is written, and its close is synced; returns the line
 * that says how many closes left an action item.
 */
async function syncDemoDays(sandbox: DemoMonthSandbox, run: SubcommandRunner, ordersFile: string): Promise<string> {
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
  return `2. sync: ${DEMO_DAYS} closes, ${DEMO_START} to ${addDays(DEMO_START, DEMO_DAYS - 1)} (${attention} with an action item for a person)`;
}

/** The journal in each of `formats`, each a file in `dir`; returns the line that names them. */
async function exportDemoFiles(run: SubcommandRunner, dir: string, formats: readonly string[]): Promise<string> {
  for (const format of formats) {
    await expectOk(run(['export', '--format', format, '--out', join(dir, `export-${format}.csv`)]), `export ${format}`);
  }
  return `4. export: ${formats.map((format) => `export-${format}.csv`).join(', ')}`;
}

/** Opens the demo folder's books as its subcommands open them, runs `work` on the ledger, and closes them. */
export type DemoLedgerReader = <T>(work: (ledger: Ledger) => Promise<T>) => Promise<T>;

/**
 * The books after the month's nights: the trial balance in cents as posted to Xero (debits = credits), and the
 * panel's balance at the last close beside the ledger's panel_prepaid, to the cent and exactly.
 */
async function trialBalanceLines(readLedger: DemoLedgerReader, sandbox: DemoMonthSandbox): Promise<string[]> {
  return readLedger(async (ledger) => {
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
