import { sandboxBankStatement, type SentMoney } from '../../sandbox/bank/bank-statement-plan.js';
import { csvStatementText } from '../../sandbox/bank/statement-writers.js';
import { MONTH_END } from '../scenarios/month-end-world.js';
import { bankStatementWorkspace } from './bank-statement-workspace.js';
import { builtWorld } from './built-worlds.js';

/**
 * The month-end world's money sent (test/scenarios/month-end-world.ts): the ad network's payout of 55.00 on 03-31,
 * the panel's top-ups of 100.00 on 03-25 and 40.50 on 04-08, as the sandbox's bank learns of them.
 */
export const MONTH_END_SENT: SentMoney[] = [
  {
    id: 'panel:smm-panel:topup:2026-03-25',
    kind: 'topup',
    amountMicros: 100_000_000n,
    currency: 'USD',
    sentOn: '2026-03-25',
  },
  {
    id: 'payelancer:ads-publisher:payout:2026-03-31',
    kind: 'payout',
    amountMicros: 55_000_000n,
    currency: 'USD',
    sentOn: '2026-03-31',
  },
  {
    id: 'panel:smm-panel:topup:2026-04-08',
    kind: 'topup',
    amountMicros: 40_500_000n,
    currency: 'USD',
    sentOn: '2026-04-08',
  },
];

/** The sandbox bank's statement of March and April for that money: the first top-up and the payout arrive, the second top-up never. */
export const MONTH_END_STATEMENT = sandboxBankStatement(MONTH_END_SENT, {
  account: 'US-OPERATING',
  currency: 'USD',
  from: '2026-03-01',
  to: '2026-04-30',
});

/**
 * `dir` with the month-end world's ledger after 04-30 (built once per run), the bank account `operating` configured
 * and MONTH_END_STATEMENT imported into it as CSV: its bank legs booked.
 */
export async function monthEndStatementWorkspace(dir: string): Promise<string> {
  const ledger = (await builtWorld(MONTH_END)).ledgerAfter('2026-04-30');
  return bankStatementWorkspace(dir, ledger, 'april.csv', csvStatementText(MONTH_END_STATEMENT));
}
