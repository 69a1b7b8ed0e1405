/**
 * The chart account the ad network holds a publisher's money in: earned and not yet paid out (earnings of 62.00,
 * then a payout of 50.00 → payelancer_receivable 12.00).
 */
export const PAYELANCER_RECEIVABLE_ACCOUNT = 'payelancer_receivable';
