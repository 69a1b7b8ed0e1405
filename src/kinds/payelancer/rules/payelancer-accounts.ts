/**
 * The chart account the ad network holds a publisher's money in: earned and not yet paid out (earnings of 62.00,
 * then a payout of 50.00 → payelancer_receivable 12.00).
 */
export const PAYELANCER_RECEIVABLE_ACCOUNT = 'payelancer_receivable';

/**
 * The account an advertiser's opening is credited to (its journal rule's credit): over the source's own entries it
 * holds the opening alone, so what it holds is the opening the books took (25.00 booked → −25.00).
 */
export const ADVERTISER_OPENING_EQUITY = 'opening_balance_equity';
