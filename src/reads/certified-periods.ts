import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { join } from 'node:path';
import type { DestinationClient } from '../destinations/index.js';
import type { ClosedPeriod } from '../ledger/index.js';
import { formatCents } from '../money/index.js';
import type { RenderedEntry } from '../rules/index.js';
import {
  CertificateJournalsSchema,
  certifiedJournalChanges,
  type CertifiedPeriod,
  type HeldJournals,
  type LedgerSide,
} from './certified-journals.js';
import type { TieOutItem } from './destination-tie-out.js';
import { taxTieOut } from './tax-tie-out.js';
import type { LedgerReads } from './books/ledger-reads.js';

/** A certificate file as the ledger kept it, or the item saying it is missing or changed since the close (nothing can be compared against it). */
type CertificateRead =
  { ok: true; certificate: z.output<typeof CertificateJournalsSchema> } | { ok: false; item: TieOutItem };

/** The certificate file of a closed period (`<folder>/<period>.json`), read only when its SHA-256 is the one the ledger kept at the close. */
export function readCertificate(close: ClosedPeriod, folder: string, destination: string): CertificateRead {
  const file = join(folder, `${close.period}.json`);
  let bytes: Buffer | undefined;
  try {
    bytes = readFileSync(file);
  } catch {
    bytes = undefined;
  }
  const sha256 = bytes === undefined ? undefined : createHash('sha256').update(bytes).digest('hex');
  if (bytes === undefined || sha256 !== close.certificateSha256) {
    const found = sha256 === undefined ? 'is missing' : `has sha256:${sha256}`;
    const message =
      `the certificate of closed period ${close.period} (${file}) ${found}, not the sha256:${close.certificateSha256} ` +
      `the ledger kept at the close: restore it from a backup`;
    return {
      ok: false,
      item: {
        kind: 'certificate_file_changed',
        source: destination,
        date: close.periodEnd,
        amount: '0.00',
        currency: '',
        ref: file,
        message,
      },
    };
  }
  return { ok: true, certificate: CertificateJournalsSchema.parse(JSON.parse(bytes.toString('utf8'))) };
}

/** Each closed period as certified for `destination`; a certificate missing or changed since the close is an item of its own. */
export function certifiedPeriods(
  closed: readonly ClosedPeriod[],
  folder: string,
  destination: string,
): { periods: CertifiedPeriod[]; items: TieOutItem[] } {
  const periods: CertifiedPeriod[] = [];
  const items: TieOutItem[] = [];
  for (const close of closed) {
    const read = readCertificate(close, folder, destination);
    if (!read.ok) {
      items.push(read.item);
      continue;
    }
    const journals = read.certificate.destinations.find((candidate) => candidate.name === destination)?.journals ?? [];
    periods.push({
      period: close.period,
      periodStart: `${close.period}-01`,
      periodEnd: close.periodEnd,
      certificateSha256: close.certificateSha256,
      journals,
    });
  }
  return { periods, items };
}

/** The closed periods whose certificates a destination is compared with, and where their files are. */
interface Certificates {
  closed: readonly ClosedPeriod[];
  folder: string;
}

/**
 * The destination's side of each closed period against its certificate, read back alone (the night's check, which
 * does not tie out every posted journal): the certified journals by id, then each period's journals by date.
 */
export async function certifiedTieOut(
  client: DestinationClient,
  certificates: Certificates,
  reads: Pick<LedgerReads, 'journal' | 'postedDeliveries'>,
): Promise<TieOutItem[]> {
  const certified = certifiedPeriods(certificates.closed, certificates.folder, client.kind);
  const ids = certified.periods.flatMap((period) => period.journals.flatMap((journal) => journal.journalId ?? []));
  const held: HeldJournals = ids.length === 0 ? new Map() : await client.readBack([...new Set(ids)]);
  return [
    ...certified.items,
    ...(await certifiedChanges(client, certified.periods, held, reads)),
    ...(await certifiedTaxItems(client, certified.periods, held, reads)),
  ];
}

/** Each certified period against the journals `held` (read back by id) and those the destination lists in it by date. */
export async function certifiedChanges(
  client: DestinationClient,
  periods: readonly CertifiedPeriod[],
  held: HeldJournals,
  reads: Pick<LedgerReads, 'journal' | 'postedDeliveries'>,
): Promise<TieOutItem[]> {
  const destination = { kind: client.kind, name: client.name, currency: client.baseCurrency };
  const ledgerSide = await ledgerSideOf(reads, client, periods);
  const items: TieOutItem[] = [];
  for (const period of periods) {
    const dated = await client.journalsDated?.(period.periodStart, period.periodEnd);
    items.push(...certifiedJournalChanges(period, held, destination, { dated, ledgerSide }));
  }
  return items;
}

/**
 * For the journals of a certificate written before certificates kept lines (no `lines`): each entry as the client
 * maps and nets it today, at the rate its delivery kept, with the entry's gross totals in cents (what that
 * certificate holds). Reads nothing of the ledger when every certified journal has its lines.
 */
async function ledgerSideOf(
  reads: Pick<LedgerReads, 'journal' | 'postedDeliveries'>,
  client: DestinationClient,
  periods: readonly CertifiedPeriod[],
): Promise<LedgerSide> {
  const wanted = new Set(
    periods.flatMap((period) =>
      period.journals.filter((journal) => journal.lines === undefined).map((journal) => journal.entryId),
    ),
  );
  if (wanted.size === 0) return () => undefined;
  const posted = new Map((await reads.postedDeliveries(client.kind)).map((row) => [row.entryId, row]));
  const side = new Map<string, ReturnType<LedgerSide>>();
  for (const period of periods) {
    for await (const entry of reads.journal.renderedEntries({ from: period.periodStart, to: period.periodEnd })) {
      const row = posted.get(entry.id);
      if (!wanted.has(entry.id) || row === undefined) continue;
      const expected = client.expectedLines(entry, row);
      side.set(entry.id, { currency: expected.currency, lines: expected.journal, gross: grossTotals(entry) });
    }
  }
  return (entryId) => side.get(entryId);
}

/** An entry's debits and credits in cents per currency, in currency order: what a certificate of the first form holds of each journal. */
function grossTotals(entry: RenderedEntry): { currency: string; debit: string; credit: string }[] {
  const currencies = [...new Set(entry.lines.map((line) => line.currency))].sort();
  return currencies.map((currency) => {
    const cents = entry.lines.filter((line) => line.currency === currency).map((line) => line.cents);
    return {
      currency,
      debit: formatCents(cents.reduce((sum, c) => (c > 0n ? sum + c : sum), 0n)),
      credit: formatCents(cents.reduce((sum, c) => (c < 0n ? sum - c : sum), 0n)),
    };
  });
}

/**
 * The tax tie-out of `reconcile --with` over the certified journals the night reads back (issue 54): a journal whose
 * tax for a code is not the ledger's is a tax_differs_at_destination item. The night reads back only the closed
 * periods' journals, so only they are checked; `reconcile --with` checks every posted one. Nothing more is read
 * when the destination codes no line (no tax section, or a US QuickBooks company).
 */
async function certifiedTaxItems(
  client: DestinationClient,
  periods: readonly CertifiedPeriod[],
  held: HeldJournals,
  reads: Pick<LedgerReads, 'journal'>,
): Promise<TieOutItem[]> {
  if (held.size === 0 || (await client.taxSetup?.()) === undefined) return [];
  const journals: Parameters<typeof taxTieOut>[1][number][] = [];
  for (const period of periods) {
    const remoteIds = new Map(
      period.journals.flatMap((journal) =>
        journal.journalId === null ? [] : [[journal.entryId, journal.journalId] as const],
      ),
    );
    for await (const entry of reads.journal.renderedEntries({ from: period.periodStart, to: period.periodEnd })) {
      const remoteId = remoteIds.get(entry.id);
      if (remoteId !== undefined) journals.push({ entry, remoteId, held: held.get(remoteId) });
    }
  }
  return (await taxTieOut(client, journals))?.items ?? [];
}
