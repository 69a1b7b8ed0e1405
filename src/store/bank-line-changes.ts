import { StatementMismatchError } from '../errors.js';
import type { BankLine, StatementToLand } from '../rules/index.js';
import type { BankLineTable } from './bank-lines.js';
import type { LedgerTx } from './ledger-store.js';
import { queryBuilder } from './query-builder.js';

/** A line id given twice with different money (StatementToLand.changedLine). */
type ChangedBankLine = Parameters<NonNullable<StatementToLand['changedLine']>>[0];
type BankLineMoney = ChangedBankLine['given'];

/** The changed lines a statement's landing has seen so far (bank-lines.ts landStatement). */
export interface ChangedLines {
  /** Whether the file's row is new, as looked up before its lines: a line kept out that it wrote itself is given twice. */
  fresh: boolean;
  /** The first line held by the account with other money (refused once the file is read, as a malformed file is first). */
  held: ChangedBankLine | undefined;
  /** Each line id the file gives with other money, its latest and earliest date, amount and currency over its lines. */
  within: Map<string, { given: BankLineMoney; other: BankLineMoney }>;
}

/**
 * A bank never changes a line it has sent: a line whose id the account already holds with another date, amount
 * or currency, or that the file itself gives twice so, is refused naming both (the unit of work then keeps
 * nothing). Lines known by the hash of their content cannot differ so. Example: B882 held as -50.00 EUR on
 * 2026-11-17, the file has -55.00 EUR → refused. A batch whose lines were not all added has those kept out
 * looked up: one the new file wrote itself (`fresh`, its hash) is given twice by the file, any other is held.
 */
export async function lookAtKeptOut(
  tx: LedgerTx,
  statement: StatementToLand,
  lines: readonly BankLine[],
  landing: ChangedLines,
): Promise<void> {
  const rows = await tx.allArrays(
    queryBuilder(tx)
      .withTables<{ bank_lines: BankLineTable }>()
      .selectFrom('bank_lines')
      .select(['line_id', 'booked_on', 'amount_micros', 'currency', 'statement_sha256'])
      .where('account', '=', statement.account)
      .where(
        'line_id',
        'in',
        lines.map((line) => line.lineId),
      ),
  );
  const stored = new Map(
    rows.map(([lineId, bookedOn, amount, currency, sha256]) => [
      String(lineId),
      { bookedOn: String(bookedOn), amountMicros: BigInt(String(amount)), currency: String(currency), sha256 },
    ]),
  );
  for (const line of lines) {
    const other = stored.get(line.lineId);
    if (other === undefined || sameMoney(line, other)) continue;
    if (!landing.fresh || other.sha256 !== statement.sha256) {
      landing.held ??= { lineId: line.lineId, given: money(line), other: money(other), where: 'account' };
      continue;
    }
    const seen = landing.within.get(line.lineId) ?? { given: money(other), other: money(other) };
    landing.within.set(line.lineId, { given: eitherEnd(seen.given, line, 1), other: eitherEnd(seen.other, line, -1) });
  }
}

const money = ({ bookedOn, amountMicros, currency }: BankLineMoney): BankLineMoney => ({
  bookedOn,
  amountMicros,
  currency,
});

const sameMoney = (a: BankLineMoney, b: BankLineMoney) =>
  a.bookedOn === b.bookedOn && a.amountMicros === b.amountMicros && a.currency === b.currency;

/** Column by column the later (`sign` 1) or the earlier (-1) of two: the file's lines given twice are named by MAX and MIN. */
function eitherEnd(a: BankLineMoney, b: BankLineMoney, sign: 1 | -1): BankLineMoney {
  const pick = <T>(x: T, y: T) => ((y > x ? 1 : y < x ? -1 : 0) === sign ? y : x);
  return {
    bookedOn: pick(a.bookedOn, b.bookedOn),
    amountMicros: pick(a.amountMicros, b.amountMicros),
    currency: pick(a.currency, b.currency),
  };
}

/** The file's line given twice with other money of the least id, as one GROUP BY over its lines named it. */
export function changedWithin({ within }: ChangedLines): ChangedBankLine | undefined {
  let least: string | undefined;
  for (const lineId of within.keys()) if (least === undefined || lineId < least) least = lineId;
  const changed = least === undefined ? undefined : within.get(least);
  return changed === undefined || least === undefined ? undefined : { lineId: least, ...changed, where: 'file' };
}

/** The statement's own refusal of a changed line, or one naming the line alone. */
export function lineRefusal(statement: StatementToLand, changed: ChangedBankLine): Error {
  return (
    statement.changedLine?.(changed) ??
    new StatementMismatchError(
      statement.file,
      `line ${changed.lineId}`,
      'the line id is given with other money than before',
      'check the file',
    )
  );
}
