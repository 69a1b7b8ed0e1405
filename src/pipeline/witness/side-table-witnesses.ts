import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AlertItem } from '../../alerts/alert.js';
import type { Config } from '../../config/index.js';
import type { ClosedPeriod } from '../../ledger/index.js';
import { runRecords } from '../runs/index.js';
import { nightSealWitnesses } from './chain-head-witness.js';
import { certificateFolder, proveSideTables, sideTableBooks } from '../operations/index.js';
import type { BooksOf } from '../../store/index.js';

const CERTIFIED_HEAD = z.object({
  rowSealsHead: z.object({ position: z.number().int().nonnegative(), link: z.string().regex(/^[0-9a-f]{64}$/) }),
});

/**
 * The seals' head each closed period's certificate kept (issue 52): the witness outside the ledger that the seals
 * written before the close are all still there. A certificate missing, unreadable or made before seals existed
 * gives none (the chain's own check of the certificate names it).
 */
function certifiedSealHeads(
  config: Config,
  closed: readonly ClosedPeriod[],
): { label: string; head: { position: number; link: string } }[] {
  return closed.flatMap((period) => {
    const file = join(certificateFolder(config), `${period.period}.json`);
    if (!existsSync(file)) return [];
    try {
      const parsed = CERTIFIED_HEAD.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success
        ? [{ label: `the certificate of ${period.period} (${file})`, head: parsed.data.rowSealsHead }]
        : [];
    } catch {
      return [];
    }
  });
}

/** Every head kept outside the seals: the closed periods' certificates and the newest nights' run records. */
export async function sealWitnesses(
  config: Config,
  books: BooksOf,
  closed: readonly ClosedPeriod[],
): Promise<{ label: string; head: { position: number; link: string } }[]> {
  return [...certifiedSealHeads(config, closed), ...(await nightSealWitnesses(books.of(runRecords)))];
}

/**
 * What the scheduled night adds to its re-verification of the closed periods (issue 52): each finding of the
 * side tables' proof, against the seals' heads the certificates and the earlier nights kept, as an item the night alerts once.
 */
export async function sideTableDrift(
  config: Config,
  books: BooksOf,
  closed: readonly ClosedPeriod[],
): Promise<AlertItem[]> {
  const { findings } = await proveSideTables(books.of(sideTableBooks), {
    witnesses: await sealWitnesses(config, books, closed),
  });
  return findings.map((finding) => ({
    subject: 'ledger',
    kind: finding.kind,
    message: finding.message,
    nextStep: 'run `ledgerline verify`, and compare the ledger with a backup from before the change',
  }));
}
