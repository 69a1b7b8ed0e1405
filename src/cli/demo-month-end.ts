import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { EXIT, type ExitCode } from '../errors.js';

/** What the demo's month-end needs of the running sandbox (the demo command hands it over: only it reaches the sandbox). */
export interface DemoSandbox {
  readonly baseUrl: string;
  readonly bankStatementUrl: string;
  /** The sandbox bank's account number, as its statements write it. */
  readonly bankAccount: string;
  readonly world: { readonly start: string; readonly source: { readonly seed: number } };
  today(): string;
}

/** What a subcommand the demo ran printed, and how it ended. */
export interface DemoRun {
  exitCode: ExitCode;
  stdout: string;
  stderr: string;
}

/** The file `ledgerline sandbox --resume DIR` reads to serve the demo's world again: its seed, first day, day and port. */
export const DEMO_SANDBOX_FILE = 'sandbox.json';

/**
 * The demo's month-end, through the real commands: the bank account added to ledgerline.yaml, March's statement
 * fetched from the sandbox's bank and imported, `transit` shown, March closed (or, when items still block it,
 * what blocks it said as it is: a person settles those), `verify` run, and the sandbox's world written down so
 * `ledgerline sandbox --resume DIR` serves it again. Returns the lines to print.
 */
export async function demoMonthEnd(dir: string, sandbox: DemoSandbox, run: (args: string[]) => Promise<DemoRun>): Promise<string[]> {
  const configPath = join(dir, 'ledgerline.yaml');
  writeFileSync(configPath, withBankAccount(readFileSync(configPath, 'utf8'), sandbox.bankAccount));
  const statement = join(dir, `bank-2026-03.camt053.xml`);
  const reply = await request(`${sandbox.bankStatementUrl}?from=2026-03-01&to=2026-03-31&format=camt053`);
  writeFileSync(statement, await reply.body.text());
  const imported = await run(['bank', 'import', statement, '--account', 'main-bank']);
  const transit = await run(['transit']);
  const close = await run(['close', '--period', '2026-03']);
  const verify = await run(['verify']);
  writeFileSync(join(dir, DEMO_SANDBOX_FILE), `${JSON.stringify({ seed: sandbox.world.source.seed, start: sandbox.world.start, today: sandbox.today(), port: Number(new URL(sandbox.baseUrl).port) }, null, 2)}\n`);
  return [
    `6. bank import: March's statement from the sandbox's bank (${sandbox.bankStatementUrl}): ${firstLine(imported)}`,
    `7. transit (exit ${transit.exitCode}):`,
    ...indented(transit.stdout || transit.stderr),
    close.exitCode === EXIT.ok
      ? `8. close: ${firstLine(close)}`
      : `8. close: March stays open (exit ${close.exitCode}); what blocks it is for a person to settle (transit match or accept, reconcile ack), then close again:`,
    ...(close.exitCode === EXIT.ok ? [] : shortened(indented(close.stdout || close.stderr), 6)),
    `9. verify (exit ${verify.exitCode}): ${firstLine(verify)}`,
  ];
}

/** The configuration with the sandbox bank's account as a source of kind bank-statement, first under sources:. */
function withBankAccount(config: string, account: string): string {
  return config.replace(/^sources:\n/m, `sources:\n  - id: main-bank\n    kind: bank-statement\n    accountNumber: ${account}   # the sandbox bank's account\n`);
}

function firstLine(result: DemoRun): string {
  return (result.stdout.trim() || result.stderr.trim()).split('\n')[0] ?? `exit ${result.exitCode}`;
}

/** The first `count` lines, and how many more there are. */
function shortened(lines: string[], count: number): string[] {
  return lines.length <= count ? lines : [...lines.slice(0, count), `   … and ${lines.length - count} more (ledgerline close --period 2026-03 lists them all)`];
}

function indented(text: string): string[] {
  return text
    .trimEnd()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `   ${line}`);
}
