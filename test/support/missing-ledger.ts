import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CliRun } from './cli.js';

/** A configuration whose ledger path has a typo, as a cron line or a scrape job writes it: nothing is there. */
export const MISSING_LEDGER_CONFIG = [
  'ledger: ./typo/ledger.sqlite',
  'timezone: UTC',
  'currency: USD',
  'payouts: { method: paypal }',
  'sources: []',
].join('\n');

/** `command`, run in `dir` over MISSING_LEDGER_CONFIG, was refused with exit 2 naming the path, and made nothing. */
export function expectRefusedMissingLedger(dir: string, command: readonly string[], refused: CliRun): void {
  expect([refused.code, refused.stdout], command.join(' ')).toEqual([2, '']);
  expect(refused.stderr, command.join(' ')).toContain(`there is no ledger at ${join(dir, 'typo', 'ledger.sqlite')}`);
  expect(existsSync(join(dir, 'typo')), command.join(' ')).toBe(false);
}
