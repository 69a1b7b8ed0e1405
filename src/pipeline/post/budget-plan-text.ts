import type { BudgetPlan } from './budget-plan.js';
import type { RefusedEntry } from './post-selection.js';

/**
 * `post --plan`, one line each: the calls needed, the calls left today, the days it takes and the order, oldest
 * first. Example: "calls needed: 89 (reads, look-ups and journals)", "calls left today: 40 of 40 a day (resets at
 * 2024-03-02T00:00:00.000Z)", "days: 3", "night 1, 2024-03-01: 155 entries dated 2023-01-01 to 2023-06-04, 40 calls".
 */
export function budgetPlanText(
  name: string,
  plan: { entries: readonly unknown[]; toRefuse: readonly RefusedEntry[] },
  nights: BudgetPlan,
): string {
  const { budget, days } = nights;
  const held = plan.toRefuse;
  const lines = [
    `post plan for ${name} (nothing is sent): ${plan.entries.length} entr${plan.entries.length === 1 ? 'y' : 'ies'} to send`,
    // An entry the post will hold back (an account the organisation lacks, a lock date) is in no night: said here.
    ...(held.length === 0
      ? []
      : [
          `held back (no night sends ${held.length === 1 ? 'it' : 'them'} until what ${held.length === 1 ? 'it names is' : 'each names is'} fixed): ` +
            `${held.length} entr${held.length === 1 ? 'y' : 'ies'}`,
          ...held.map((refusal) => `  ${refusal.entryId} (${refusal.date}): ${refusal.reason}`),
        ]),
    `calls needed: ${nights.callsNeeded} (reads of the organisation, look-ups and journals)`,
    budget === undefined
      ? `calls left today: ${name} has no daily limit`
      : `calls left today: ${budget.left} of ${budget.perDay} a day (resets at ${budget.resetsAt})`,
    days === null
      ? `days: more than a day's budget can carry (one night's reads and one request do not fit in ${budget?.perDay ?? 0} calls)`
      : `days: ${days}${days > 1 ? ': each night posts what the day allows and stops; the next resumes where it stopped' : ''}`,
    ...nights.nights.map(
      (night) =>
        `night ${night.night}${night.day === '' ? '' : `, ${night.day}`}: ${night.entries} entr${night.entries === 1 ? 'y' : 'ies'} dated ` +
        `${night.from} to ${night.to}, ${night.calls} calls`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
