/**
 * The chart account a panel holds our money in: what we paid in and have not yet spent on orders. The ledger keeps
 * it equal to the panel's reported balance (a top-up of 50.00 on a balance of 9.50 → panel_prepaid 59.50).
 */
export const PANEL_PREPAID_ACCOUNT = 'panel_prepaid';
