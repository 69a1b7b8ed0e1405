import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCalendarDate } from '../../calendar/index.js';
import type { ChainCloseRecord, ClosedPeriod } from '../../ledger/index.js';

/**
 * The closes held against each other (issue 52, item 3): the chain's record of each close (migration 0026, its
 * link proven by `verify`), the row closed_periods keeps of it, and the certificate file the close wrote. The
 * period lock reads the chain's records as well as the rows, so a month stays closed whatever row is deleted;
 * these checks name the row that no longer agrees, and the certificate file edited, missing, or left without a close.
 */
export interface CloseRecordChange {
  id: string;
  kind: 'closed_period_changed' | 'certificate_file_changed';
  source: 'ledger';
  date: string;
  /** The period, or the certificate file. */
  ref: string;
  message: string;
}

const RESTORE = 'restore the ledger from a backup taken before the change and compare the two';

/**
 * Each close the chain records without its closed_periods row, each row the chain has no record of, and each
 * whose two say different things. Example: closed_periods' row of 2026-03 deleted → "closed period 2026-03 …
 * closed_periods has no row for it … 2026-03 stays closed".
 */
export function closeRowChanges(
  chained: readonly ChainCloseRecord[],
  rows: readonly ClosedPeriod[],
): CloseRecordChange[] {
  const byPeriod = new Map(rows.map((row) => [row.period, row]));
  const changes: CloseRecordChange[] = [];
  const item = (close: ClosedPeriod, what: string) =>
    changes.push({
      id: `closed_period_changed:${close.period}:record`,
      kind: 'closed_period_changed',
      source: 'ledger',
      date: close.periodEnd,
      ref: close.period,
      message: `closed period ${close.period}: ${what}`,
    });
  for (const close of chained) {
    const row = byPeriod.get(close.period);
    byPeriod.delete(close.period);
    if (row === undefined) {
      item(
        close,
        `the chain records its close (${described(close)}) but closed_periods has no row for it: the ` +
          `row was deleted outside ledgerline. ${close.period} stays closed (the period lock reads the ` +
          `chain); ${RESTORE}`,
      );
    } else if (described(row) !== described(close) || row.periodEnd !== close.periodEnd) {
      item(
        close,
        `closed_periods says ${described(row)}, but the chain's record of the close says ${described(close)}: ` +
          `the row was rewritten outside ledgerline; the chain's record is the one its links prove; ${RESTORE}`,
      );
    }
  }
  for (const row of byPeriod.values()) {
    item(
      row,
      `closed_periods keeps its close (${described(row)}) but the chain has no record of it: the ` +
        `record was deleted outside ledgerline. ${row.period} stays closed; ${RESTORE}`,
    );
  }
  return changes;
}

function described(close: ClosedPeriod): string {
  return `certificate sha256:${close.certificateSha256}, chain head ${close.chainHead}, closed ${close.closedAt} by ${close.closedBy}`;
}

/** The period a certificate's file name (`2026-03.json`) names, or undefined for any other file. */
function certificatePeriod(name: string): string | undefined {
  const period = name.slice(0, -'.json'.length);
  return name.endsWith('.json') && period.length === 7 && isCalendarDate(`${period}-01`) ? period : undefined;
}

/**
 * Each closed period's certificate file (`<folder>/<period>.json`) against the SHA-256 its close recorded: missing,
 * or edited since; and a certificate file in the folder for a month the ledger records no close of.
 * Example: certificates/2026-03.json edited → "the certificate of closed period 2026-03 (…/2026-03.json) has
 * sha256:…, not the sha256:… recorded at its close: restore it from a backup whose SHA-256 is …".
 */
export function certificateFileChanges(closed: readonly ClosedPeriod[], folder: string): CloseRecordChange[] {
  const changes: CloseRecordChange[] = [];
  const item = (period: string, date: string, file: string, message: string) =>
    changes.push({
      id: `certificate_file_changed:${period}`,
      kind: 'certificate_file_changed',
      source: 'ledger',
      date,
      ref: file,
      message,
    });
  for (const close of closed) {
    const file = join(folder, `${close.period}.json`);
    const sha256 = fileSha256(file);
    if (sha256 === close.certificateSha256) continue;
    const found =
      sha256 === undefined
        ? 'is missing:'
        : `has sha256:${sha256}, not the sha256:${close.certificateSha256} recorded at its close: it was changed after the close;`;
    const restore = `restore it from a backup whose SHA-256 is ${close.certificateSha256}`;
    item(
      close.period,
      close.periodEnd,
      file,
      `the certificate of closed period ${close.period} (${file}) ${found} ${restore}`,
    );
  }
  const periods = new Set(closed.map((close) => close.period));
  for (const name of certificateNames(folder)) {
    const period = certificatePeriod(name)!;
    if (periods.has(period)) continue;
    const file = join(folder, name);
    item(
      period,
      `${period}-01`,
      file,
      `certificate ${file} is in the certificates folder, but the ledger records no close of ${period}: ` +
        `either that close did not complete (run ledgerline close --period ${period} again) or its ` +
        `records were deleted outside ledgerline (${RESTORE})`,
    );
  }
  return changes;
}

function fileSha256(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

function certificateNames(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => certificatePeriod(name) !== undefined)
      .sort();
  } catch {
    return [];
  }
}
