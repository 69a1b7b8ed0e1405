import { addDays } from '../../src/calendar/index.js';
import type { SandboxBankLine, SandboxStatement } from './statement-writers.js';

/** A payout the network sent or a top-up the panel saw, as the sandbox's bank learns of it. */
export interface SentMoney {
  id: string;
  kind: 'payout' | 'topup';
  amountMicros: bigint;
  currency: string;
  sentOn: string;
}

/** The fee the bank withholds from the short payout: 2.50. */
export const SANDBOX_BANK_FEE_MICROS = 2_500_000n;

/**
 * The sandbox bank's statement for a world's payouts and top-ups, so every state of the money in transit shows:
 * the 1st payout arrives 2 days after it was sent, the 2nd 9 days after (late while it travels), the 3rd 2 days
 * after short by a 2.50 fee, the 4th never, any later one on time; the 1st top-up is paid by card the next day,
 * the 2nd never, any later one the next day. Each line's reference names the item. Example: payout
 * payelancer:pub:payout:2026-03-31 of 55.00 → line +55.00 on 2026-04-02, reference "payelancer:pub:payout:2026-03-31".
 */
export function sandboxBankStatement(
  sent: readonly SentMoney[],
  period: { account: string; currency: string; from: string; to: string },
): SandboxStatement {
  const lines: SandboxBankLine[] = [];
  const payouts = sent.filter((money) => money.kind === 'payout');
  const topups = sent.filter((money) => money.kind === 'topup');
  payouts.forEach((payout, index) => {
    if (index === 3) return;
    const amountMicros = index === 2 ? payout.amountMicros - SANDBOX_BANK_FEE_MICROS : payout.amountMicros;
    lines.push(line(payout, addDays(payout.sentOn, index === 1 ? 9 : 2), amountMicros, 'PAYOUT'));
  });
  topups.forEach((topup, index) => {
    if (index !== 1) lines.push(line(topup, addDays(topup.sentOn, 1), -topup.amountMicros, 'CARD PAYMENT SMM PANEL'));
  });
  lines.sort((a, b) => a.bookedOn.localeCompare(b.bookedOn) || a.id.localeCompare(b.id));
  return {
    ...period,
    lines: lines.filter((bankLine) => bankLine.bookedOn >= period.from && bankLine.bookedOn <= period.to),
  };
}

function line(money: SentMoney, bookedOn: string, amountMicros: bigint, description: string): SandboxBankLine {
  return {
    id: `SBX-${bookedOn.replace(/-/g, '')}-${money.id.length}-${money.amountMicros}`,
    bookedOn,
    amountMicros,
    currency: money.currency,
    reference: money.id,
    description,
  };
}
