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

/** A Xero destination on a port nothing answers (its secret from XERO_CLIENT_SECRET): post and close get to it. */
export const UNANSWERED_XERO_DESTINATION = [
  'destinations:',
  '  xero:',
  '    clientId: id',
  '    clientSecret: ${XERO_CLIENT_SECRET}',
  '    tenantId: a3b9c1d2-0000-4000-8000-5a4db0c5e7a1',
  '    apiUrl: http://127.0.0.1:9/xero/api.xro/2.0',
  '    tokenUrl: http://127.0.0.1:9/xero/identity/connect/token',
].join('\n');

/** `command`, run in `dir` over MISSING_LEDGER_CONFIG, was refused with exit 2 naming the path, and made nothing. */
export function expectRefusedMissingLedger(dir: string, command: readonly string[], refused: CliRun): void {
  expect([refused.code, refused.stdout], command.join(' ')).toEqual([2, '']);
  expect(refused.stderr, command.join(' ')).toContain(`there is no ledger at ${join(dir, 'typo', 'ledger.sqlite')}`);
  expect(existsSync(join(dir, 'typo')), command.join(' ')).toBe(false);
}
