import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLedgerline, type CliRun } from '../cli.js';
import { startCounterApiFake, type CounterApiFake } from './counter-api-fake.js';

export interface TipsWorkspace {
  /** The counter API the `tips` source reads; the caller closes it. */
  fake: CounterApiFake;
  /** The CLI run in the workspace, with TIPS_KEY (the key the configuration names) set to the fake's key. */
  ledgerline: (...args: string[]) => Promise<CliRun>;
}

/**
 * A workspace in `dir` whose configuration has one source, `tips`, of the plug-in `kind` given, reading a counter
 * API fake started here that answers to `key`: a SQLite ledger, UTC, USD, and no destination.
 */
export async function startTipsWorkspace(dir: string, kind: string, key: string): Promise<TipsWorkspace> {
  const fake = await startCounterApiFake(key);
  writeFileSync(
    join(dir, 'ledgerline.yaml'),
    [
      'ledger: data/ledger.sqlite',
      'timezone: UTC',
      'currency: USD',
      // A counter tells only the present: its fake names the day it answers for, which a sync closes.
      `sandboxClock: ${fake.clockUrl}`,
      'sources:',
      `  - { id: tips, kind: ${kind}, url: "${fake.url}", apiKey: "\${TIPS_KEY}" }`,
      '',
    ].join('\n'),
  );
  return { fake, ledgerline: (...args) => runLedgerline(args, { cwd: dir, env: { TIPS_KEY: key } }) };
}
