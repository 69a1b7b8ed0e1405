import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ClosedPeriod } from '../../ledger/index.js';

/** What a certificate is written as until its close commits: `2026-03.json.partial`, which no reader takes as one. */
export const PARTIAL = '.partial';

/** The written certificate renamed into place; already there (an interrupted close's, put in place by the next close) is as good. */
export function putInPlace(partial: string, certificateFile: string): void {
  try {
    renameSync(partial, certificateFile);
  } catch (error) {
    if (!existsSync(certificateFile)) throw error;
  }
}

/**
 * The certificates a close killed mid-way left (`<period>.json.partial`), settled by the next close under the ledger's
 * lock: one whose SHA-256 a recorded close holds was committed, and is put in place; any other stands for no close,
 * and is removed. Each is named. Example: `close` killed before its commit left 2026-03.json.partial, and the ledger
 * records no close of 2026-03 → removed: "removed certificates/2026-03.json.partial, left by a close of 2026-03 that
 * did not complete".
 */
export function settleInterruptedCertificates(folder: string, closed: readonly ClosedPeriod[]): string[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith(`.json${PARTIAL}`));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const partial = join(folder, name);
    const certificateFile = partial.slice(0, -PARTIAL.length);
    const period = name.slice(0, -`.json${PARTIAL}`.length);
    const text = textUnlessGone(partial);
    // Gone since the listing: its own close committed and renamed it, as a close does just after leaving the lock.
    if (text === undefined) return [];
    const sha256 = createHash('sha256').update(text).digest('hex');
    if (closed.some((close) => close.period === period && close.certificateSha256 === sha256)) {
      putInPlace(partial, certificateFile);
      return `put ${certificateFile} in place: the close of ${period} was recorded, but was stopped before its certificate took its name`;
    }
    rmSync(partial, { force: true });
    return `removed ${partial}, left by a close of ${period} that did not complete (the ledger records no close with it)`;
  });
}

function textUnlessGone(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
