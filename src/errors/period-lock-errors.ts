import { EXIT, LedgerlineError } from './ledgerline-error.js';

/** A lock that refuses an adjusting entry: ledgerline's own close (the period and its certificate) or a destination's lock date. */
export interface RefusingLock {
  holder: string;
  through: string | undefined;
  closedPeriod?: string;
  certificate?: string;
}

/**
 * An adjusting entry dated on or before a destination's lock date: it could never be posted there, so it is not
 * booked. Every lock that refuses it is named, ledgerline's own close first, so a person moves each or dates it after all.
 */
export class AdjustmentInLockedPeriodError extends LedgerlineError {
  override readonly name = 'AdjustmentInLockedPeriodError';
  readonly exitCode = EXIT.usage;
  constructor(date: string, locks: readonly RefusingLock[]) {
    const latest = locks
      .map((lock) => lock.through)
      .filter((through) => through !== undefined)
      .sort()
      .at(-1);
    const only = locks.length === 1 ? locks[0] : undefined;
    const own = locks.find((lock) => lock.certificate !== undefined);
    super(
      only !== undefined && own === undefined
        ? `${only.holder}: an adjusting entry dated ${date} falls in a closed period${only.through ? ` (books locked through ${only.through})` : ''}; ` +
            `nothing was booked: date it after ${only.through ?? 'the lock'} with --date, or ask your accountant to move the lock date`
        : `an adjusting entry dated ${date} falls in a closed period of each of ${locks.map((lock) => lock.holder).join(', ')} ` +
            `(${locks.map(lockText).join('; ')}); nothing was booked: date it after ${latest ?? 'the locks'} with --date` +
            `${own === undefined ? '' : ` (--corrects ${date} names the closed period's certificate)`}, or move each lock`,
    );
  }
}

function lockText(lock: RefusingLock): string {
  if (lock.certificate !== undefined)
    return `ledgerline closed ${lock.closedPeriod ?? lock.through} by certificate sha256:${lock.certificate}`;
  return `${lock.holder} locked through ${lock.through ?? 'a date it does not say'}`;
}
