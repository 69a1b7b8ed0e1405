import type { MappingGap } from '../config/index.js';

/** One action item per account and file: "  ! unmapped_account: … add it under accounts: there before "ledgerline post xero"". */
export function mappingGapLines(gaps: readonly MappingGap[]): string[] {
  return gaps.map(
    (gap) =>
      `  ! unmapped_account: ${gap.account} is booked but ${gap.file} does not map it: add it under ` +
      `accounts: there before "ledgerline post ${gap.destination}"`,
  );
}
