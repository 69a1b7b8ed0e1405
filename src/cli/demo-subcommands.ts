import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig, loadEachEntityConfig } from '../config/index.js';
import { configKinds } from '../pipeline/kinds/index.js';
import { setAsideEarlierWitness } from '../pipeline/witness/index.js';
import type { DemoLedgerReader } from '../app/demo/month.js';
import type { SubcommandResult } from '../app/demo/steps.js';
import type { CommandProcess } from './command.js';
import { withBooksFor } from '../app/configured-books.js';
import { runCli } from './run-cli.js';

/**
 * Another ledgerline command run in this process on the demo folder's configuration, with the sandbox's secrets
 * (the runner the demo's script is handed), and the folder's books opened as those commands open them (the demo
 * command hands the sandbox's environment over: only it reaches the sandbox).
 */
export function subcommandsIn(context: CommandProcess, dir: string, sandboxEnvironment: NodeJS.ProcessEnv) {
  const configPath = join(dir, 'ledgerline.yaml');
  const env = { ...context.env, ...sandboxEnvironment };
  const run = (args: string[]) =>
    runSubcommand(context, dir, env, ['--config', configPath, '--log-level', 'error', ...args]);
  const readLedger: DemoLedgerReader = (work) => {
    // Read as the subcommands read it; its secrets are the sandbox's, not registered for redaction here.
    const config = loadConfig({ path: configPath, env, cwd: dir, need: {}, kinds: configKinds() });
    return withBooksFor(config, context.ledger, ({ ledger }) => work(ledger));
  };
  // The fleet's books are new, as init's are (it writes no ledger itself): a witness that books deleted at the
  // same paths left would refuse every night, so each entity's is set aside as init sets one aside.
  const freshBooks = () => {
    for (const config of loadEachEntityConfig({ path: configPath, env, cwd: dir, need: {}, kinds: configKinds() }))
      if (config.ledgerEngine === 'sqlite' && !existsSync(config.ledger))
        setAsideEarlierWitness(config.witness, context.now());
  };
  return { configPath, run, readLedger, freshBooks };
}

/** Runs another ledgerline command in this process, capturing what it prints. */
async function runSubcommand(
  context: CommandProcess,
  cwd: string,
  env: NodeJS.ProcessEnv,
  argv: string[],
): Promise<SubcommandResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exitCode = await runCli(argv, {
    env,
    cwd,
    stdout,
    stderr,
    stopSignal: context.stopSignal,
    now: context.now,
    clock: context.clock,
  });
  return { exitCode, stdout: out, stderr: err };
}
