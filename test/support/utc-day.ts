const MS_PER_DAY = 86_400_000;

/**
 * Waits out the end of the UTC day when fewer than `margin` ms of it are left, so a test whose subject is "today"
 * (a vendor's day budget, counted per UTC day by the ledger and the fake alike) starts and ends on one day.
 * Example: at 23:59:20Z with a 90 s margin it resolves at 00:00:00.05Z; at 12:00Z at once. Bounded by the margin.
 */
export async function sameUtcDayFor(margin: number): Promise<void> {
  const left = MS_PER_DAY - (Date.now() % MS_PER_DAY);
  if (left < margin) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
