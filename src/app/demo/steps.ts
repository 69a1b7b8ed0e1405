import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { request } from 'undici';
import { EnvironmentError, EXIT, UsageError, type ExitCode } from '../../errors.js';
import type { Ledger } from '../../ledger/index.js';

/** `reconcile --json` read into one line: the items for a person and those for the record, by kind. */
export async function reconcileLine(run: SubcommandRunner): Promise<string> {
  const reconcile = await run(['reconcile', '--json']);
  const report = JSON.parse(reconcile.stdout) as { items: { kind: string; class: string }[] };
  const countKinds = (items: readonly { kind: string }[]) => {
    const kinds = new Map<string, number>();
    for (const item of items) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);
    return kinds.size ? ` (${[...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ')})` : '';
  };
  const actions = report.items.filter((item) => item.class === 'action');
  const information = report.items.filter((item) => item.class !== 'action');
  return `5. reconcile: ${actions.length} items for a person${countKinds(actions)}, ${information.length} for the record${countKinds(information)}`;
}

/** What a subcommand the demo ran printed, and how it ended. */
export interface SubcommandResult {
  exitCode: ExitCode;
  stdout: string;
  stderr: string;
}

/** Runs another ledgerline command on the demo folder's configuration (the CLI hands it over: it runs the commands). */
export type SubcommandRunner = (args: string[]) => Promise<SubcommandResult>;

/** A step of the demo that must succeed: its failure stops the demo, naming the step. */
export async function expectOk(result: Promise<SubcommandResult>, what: string): Promise<void> {
  const { exitCode, stderr } = await result;
  if (exitCode !== EXIT.ok) throw new UsageError(`demo: ${what} failed (exit ${exitCode}): ${stderr.trim()}`);
}

/** A text the sandbox serves (its orders file, its bank statement). */
export async function fetchText(url: string): Promise<string> {
  const reply = await request(url);
  return reply.body.text();
}

/** The demo writes a configuration, mappings, orders and exports: only into a folder it may fill, never over a user's files. */
export function claimEmptyFolder(dir: string): string {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new EnvironmentError(`demo --dir ${dir} is a file; name a new or empty folder`);
    if (readdirSync(dir).length > 0) {
      throw new EnvironmentError(
        `demo --dir ${dir} is not empty; the demo writes ledgerline.yaml, mappings/, orders.csv, data/ and exports there, so name a new or empty folder`,
      );
    }
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new EnvironmentError(
      `demo --dir ${dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  return dir;
}

/** Each account's balance and the debit total over the cents every entry was rendered to: what Xero holds, and it ties. */
export async function centsTrialBalance(ledger: Ledger): Promise<{ balances: [string, bigint][]; debits: bigint }> {
  const balances = new Map<string, bigint>();
  let debits = 0n;
  for await (const entry of ledger.renderedEntries()) {
    for (const line of entry.lines) {
      balances.set(line.account, (balances.get(line.account) ?? 0n) + line.cents);
      if (line.cents > 0n) debits += line.cents;
    }
  }
  return { balances: [...balances].sort(([a], [b]) => a.localeCompare(b)), debits };
}
