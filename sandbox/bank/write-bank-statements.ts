import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxBankStatement, type SentMoney } from './bank-statement-plan.js';
import { camt053Text, ofxText } from './statement-writers.js';

/**
 * Writes the sandbox bank's statement for a world's payouts and top-ups into `folder`, as camt.053
 * (`<account>-<to>.camt053.xml`) and OFX 2.x (`<account>-<to>.ofx`), ready for `ledgerline bank import`;
 * returns the two paths.
 */
export function writeSandboxBankStatements(
  folder: string,
  sent: readonly SentMoney[],
  period: { account: string; currency: string; from: string; to: string },
): { camt053: string; ofx: string } {
  const statement = sandboxBankStatement(sent, period);
  const camt053 = join(folder, `${period.account}-${period.to}.camt053.xml`);
  const ofx = join(folder, `${period.account}-${period.to}.ofx`);
  writeFileSync(camt053, camt053Text(statement));
  writeFileSync(ofx, ofxText(statement, 2));
  return { camt053, ofx };
}
