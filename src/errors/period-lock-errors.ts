import { EXIT, failure } from './ledgerline-error.js';

/** A lock that refuses an adjusting entry: ledgerline's own close (the period and its certificate) or a destination's lock date. */
interface RefusingLock {
  holder: string;
  through: string | undefined;
  closedPeriod?: string;
  certificate?: string;
  /** A period whose tax return `vat file` filed (issue 70): named with when and by whom. */
  filedReturn?: { period: string; filedAt: string; filedBy: string };
}

/**
 * An adjusting entry dated on or before a destination's lock date: it could never be posted there, so it is not
 * booked. Every lock that refuses it is named, ledgerline's own close first, so a person moves each or dates it after all.
 */
export class AdjustmentInLockedPeriodError extends failure('AdjustmentInLockedPeriodError', EXIT.usage) {
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
        : `an adjusting entry dated ${date} falls in a closed period of each of ${[...new Set(locks.map((lock) => lock.holder))].join(', ')} ` +
            `(${locks.map(lockText).join('; ')}); nothing was booked: date it after ${latest ?? 'the locks'} with --date` +
            `${own === undefined ? '' : ` (--corrects ${date} names the closed period's certificate)`}, or move each lock`,
    );
  }
}

function lockText(lock: RefusingLock): string {
  if (lock.filedReturn !== undefined)
    return `ledgerline filed the ${lock.filedReturn.period} tax return ${lock.filedReturn.filedAt} by ${lock.filedReturn.filedBy}`;
  if (lock.certificate !== undefined)
    return `ledgerline closed ${lock.closedPeriod ?? lock.through} by certificate sha256:${lock.certificate}`;
  return `${lock.holder} locked through ${lock.through ?? 'a date it does not say'}`;
}

/** A period whose tax return `vat file` marked filed (issue 70): what the return holds must not move. */
export interface FiledPeriodLock {
  period: string;
  periodEnd: string;
  filedAt: string;
  filedBy: string;
  /** The first day after the period: where a late entry is booked, for the next return to take. */
  openFrom: string;
}

/**
 * An entry dated in a period whose tax return was filed: as after a close, it is not booked (an adjusting entry,
 * a backfill's correction, a late event of a sync alike), and the way is the open period, whose return takes it.
 * Example: 2026-Q1 filed → "entry … dated 2026-03-20 falls in 2026-Q1, whose tax return was filed … by ana;
 * nothing was booked: book it in the open period: --date 2026-04-01 …, coded by --tax CODE" (issue 82).
 */
export class PeriodFiledError extends failure('PeriodFiledError', EXIT.usage) {
  constructor(
    readonly entryId: string,
    readonly entryDate: string,
    readonly filed: FiledPeriodLock,
  ) {
    super(
      `entry ${entryId} dated ${entryDate} falls in ${filed.period}, whose tax return was filed ${filed.filedAt} ` +
        `by ${filed.filedBy}; nothing was booked: book it in the open period: --date ${filed.openFrom} ` +
        `(ledgerline adjust --date ${filed.openFrom} --tax CODE …), where the next return takes it, ` +
        "its revenue and expense lines coded by --tax, a code of the chart's tax:",
    );
  }
}
