/**
 * A close dated after today can only come from an older ledgerline that accepted a future `--as-of`
 * (today's refuses it). Such a close is the source's latest, so every real night is refused until that
 * date passes. Example: today 2026-11-22, smm-panel closed as of 2027-12-31 → one warning naming both
 * dates and the way out.
 */
export interface FutureClose {
  sourceId: string;
  date: string;
  message: string;
}

export function closesAfterToday(
  latestCloses: readonly { sourceId: string; date: string }[],
  today: string,
): FutureClose[] {
  return latestCloses
    .filter((close) => close.date > today)
    .map((close) => ({
      ...close,
      message:
        `${close.sourceId} has a close dated ${close.date}, after today (${today}): an older ledgerline accepted a future --as-of. ` +
        `Every sync of ${close.sourceId} is refused until ${close.date} has passed; to go on now, restore the ledger from a backup ` +
        'taken before that run (its entries cannot be edited or deleted), then sync the missed days',
    }));
}
