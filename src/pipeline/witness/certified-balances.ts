import { z } from 'zod';
import type { ClosedPeriod } from '../../ledger/index.js';
import { formatMicros, parseMicros } from '../../money/index.js';

const CERTIFIED_TRIAL_BALANCE = z.object({
  trialBalance: z.object({
    rows: z.array(z.object({ account: z.string(), currency: z.string(), net: z.string() })),
  }),
});

/**
 * The certificate proves the balances (issue 73): each closed period's trial balance, recomputed from the chain's
 * entries dated through its end, against the one its certificate printed, account by account. A rewrite that keeps
 * the certificate but changes a closed month's amounts (chain and cents recomputed) is named here. Example: the
 * certificate of 2026-03 gives smm_services_expense USD 12.50, the entries through 2026-03-31 now give 19.50 →
 * "the certificate of 2026-03 (…) gives smm_services_expense USD a balance of 12.50 at 2026-03-31, the chain's
 * entries through that day give 19.50 …". A certificate missing or unreadable gives nothing here: its file check
 * names it.
 */
export function certifiedBalanceChanges(
  period: Pick<ClosedPeriod, 'period' | 'periodEnd'>,
  certificate: { file: string; text: string | undefined },
  nets: ReadonlyMap<string, bigint> | undefined,
): string[] {
  if (certificate.text === undefined || nets === undefined) return [];
  let parsed;
  try {
    parsed = CERTIFIED_TRIAL_BALANCE.safeParse(JSON.parse(certificate.text));
  } catch {
    return [];
  }
  if (!parsed.success) return [];
  const certified = new Map<string, bigint>();
  for (const row of parsed.data.trialBalance.rows) {
    const key = `${row.account} ${row.currency}`;
    certified.set(key, (certified.get(key) ?? 0n) + parseMicros(row.net));
  }
  const keys = [...new Set([...certified.keys(), ...nets.keys()])].sort();
  return keys.flatMap((key) => {
    const said = certified.get(key) ?? 0n;
    const given = nets.get(key) ?? 0n;
    if (said === given) return [];
    return [
      `the certificate of ${period.period} (${certificate.file}) gives ${key} a balance of ${formatMicros(said)} at ` +
        `${period.periodEnd}, but the chain's entries through that day give ${formatMicros(given)}: the closed ` +
        "month's amounts were changed after its close; restore the ledger from a backup taken before the change",
    ];
  });
}
