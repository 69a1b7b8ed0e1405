import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { EXIT } from '../../errors.js';
import { lockMarchAtFakes, settleForClose } from './month-close.js';
import { apiDestinationNames } from '../destination-choices.js';
import type { SubcommandResult, SubcommandRunner } from './steps.js';

/** What the demo's month-end needs of the running sandbox (the demo command hands it over: only it reaches the sandbox). */
export interface DemoSandbox {
  readonly baseUrl: string;
  readonly bankStatementUrl: string;
  readonly world: { readonly start: string; readonly source: { readonly seed: number } };
  today(): string;
}

/** The file `ledgerline sandbox --resume DIR` reads to serve the demo's world again: its seed, first day, day and port. */
export const DEMO_SANDBOX_FILE = 'sandbox.json';
/** The Xero and QuickBooks fakes' books as the demo left them, which `ledgerline sandbox --resume DIR` serves again and keeps up to date. */
export const DEMO_FAKES_FILE = 'sandbox-fakes.json';

/**
 * The demo's month-end, through the real commands: over the bank account `init --sandbox-url` wrote (Xero's bank-side
 * documents into its bank account 090, QuickBooks' Checking mapped for the ledger's bank), the statement from
 * March 1 to the sandbox's day fetched from its bank and imported (March's payout arrives in April), `transit`
 * shown, what a person would settle settled (settleForClose), the fakes locked through March, March closed,
 * `verify` and `reconcile --with` each destination run, the ledger's bank set beside the statement's closing balance,
 * and the sandbox's world written down so `ledgerline sandbox --resume
 * DIR` serves it again. Returns the lines to print.
 */
export async function demoMonthEnd(dir: string, sandbox: DemoSandbox, run: SubcommandRunner): Promise<string[]> {
  const statement = join(dir, `bank-2026-03.camt053.xml`);
  const reply = await request(`${sandbox.bankStatementUrl}?from=2026-03-01&to=${sandbox.today()}&format=camt053`);
  writeFileSync(statement, await reply.body.text());
  const imported = await run(['bank', 'import', statement, '--account', 'main-bank']);
  const transit = await run(['transit']);
  const settled = await settleForClose(run);
  await lockMarchAtFakes(sandbox.baseUrl);
  const close = await run(['close', '--period', '2026-03']);
  const verify = await run(['verify']);
  const bank = (await run(['transit'])).stdout.split('\n').find((line) => line.includes('bank account main-bank'));
  const tieOuts: string[] = [];
  for (const destination of apiDestinationNames()) {
    const tieOut = await run(['reconcile', '--with', destination]);
    tieOuts.push(`   ${destination} (exit ${tieOut.exitCode}): ${firstLine(tieOut)}`);
  }
  writeFileSync(
    join(dir, DEMO_SANDBOX_FILE),
    `${JSON.stringify({ seed: sandbox.world.source.seed, start: sandbox.world.start, today: sandbox.today(), port: Number(new URL(sandbox.baseUrl).port) }, null, 2)}\n`,
  );
  return [
    `6. bank import: the statement from March 1 to ${sandbox.today()} from the sandbox's bank (${sandbox.bankStatementUrl}): ${firstLine(imported)}`,
    ...indented(imported.stdout).slice(1),
    `7. transit (exit ${transit.exitCode}):`,
    ...indented(transit.stdout || transit.stderr),
    '8. settled as a person would, then posted:',
    ...settled,
    `9. lock: Xero and QuickBooks locked through 2026-03-31 (the fakes' admin calls, as an accountant would in each)`,
    close.exitCode === EXIT.ok
      ? `10. close: ${firstLine(close)}`
      : `10. close: March stays open (exit ${close.exitCode}); what blocks it:`,
    ...(close.exitCode === EXIT.ok ? [] : shortened(indented(close.stdout || close.stderr), 6)),
    `11. verify (exit ${verify.exitCode}): ${firstLine(verify)}`,
    '12. reconcile --with each destination: what it holds of the closed month, read back',
    ...tieOuts,
    `13. the bank (transit): ${bank?.trim() ?? 'no statement balance to compare'}`,
  ];
}

function firstLine(result: SubcommandResult): string {
  return (result.stdout.trim() || result.stderr.trim()).split('\n')[0] ?? `exit ${result.exitCode}`;
}

/** The first `count` lines, and how many more there are. */
function shortened(lines: string[], count: number): string[] {
  return lines.length <= count
    ? lines
    : [
        ...lines.slice(0, count),
        `   … and ${lines.length - count} more (ledgerline close --period 2026-03 lists them all)`,
      ];
}

function indented(text: string): string[] {
  return text
    .trimEnd()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `   ${line}`);
}
