import { renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { DestinationFakes } from './destination-fakes.js';
import type { SandboxMount } from './mount.js';
import type { QuickBooksBooks } from './quickbooks/fake.js';
import type { XeroBooks } from './xero/fake.js';

/** A book of each fake as the file holds it: its lists and fields, each fake's own to read. */
const FakesBooksFile = z.object({
  xero: z.looseObject({
    journals: z.array(z.unknown()),
    bankTransfers: z.array(z.unknown()),
    bankTransactions: z.array(z.unknown()),
    attachments: z.array(z.unknown()),
    tokens: z.looseObject({}),
  }),
  quickbooks: z.looseObject({
    entries: z.array(z.unknown()),
    transfers: z.array(z.unknown()),
    deposits: z.array(z.unknown()),
    attachables: z.array(z.unknown()),
    entriesCreated: z.number().int(),
    tokens: z.looseObject({}),
  }),
});

/** The Xero and QuickBooks fakes' books as JSON text: amounts in cents as {"$bigint": "…"}, attachments' bytes as {"$base64": "…"}. */
export function fakesBooksText(fakes: DestinationFakes): string {
  return `${JSON.stringify(
    { xero: fakes.xero.books(), quickbooks: fakes.quickbooks.books() },
    function (this: Record<string, unknown>, key, value: unknown) {
      const raw = this[key];
      if (Buffer.isBuffer(raw)) return { $base64: raw.toString('base64') };
      return typeof value === 'bigint' ? { $bigint: value.toString() } : value;
    },
  )}\n`;
}

/** Books read back from fakesBooksText's `text` into `fakes`; a file that is not such books is refused (RangeError) naming what is wrong. */
export function restoreFakesBooks(fakes: DestinationFakes, text: string): void {
  const revived: unknown = JSON.parse(text, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object') return value;
    if ('$bigint' in value && typeof value.$bigint === 'string') return BigInt(value.$bigint);
    if ('$base64' in value && typeof value.$base64 === 'string') return Buffer.from(value.$base64, 'base64');
    return value;
  });
  const parsed = FakesBooksFile.safeParse(revived);
  if (!parsed.success)
    throw new RangeError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  fakes.xero.restoreBooks(parsed.data.xero as unknown as XeroBooks);
  fakes.quickbooks.restoreBooks(parsed.data.quickbooks as unknown as QuickBooksBooks);
}

/** Writes the fakes' books to `path` whole (a file beside it, then renamed): a reader never sees half of them. */
export function writeFakesBooks(fakes: DestinationFakes, path: string): void {
  writeFileSync(`${path}.tmp`, fakesBooksText(fakes));
  renameSync(`${path}.tmp`, path);
}

/** The fakes' mounts, each writing the books to `path` after every request that is not a read (a post, a void, a lock date). */
export function mountsKeepingBooks(fakes: DestinationFakes, path: string): SandboxMount[] {
  return [fakes.xero, fakes.quickbooks].map((fake) => ({
    prefix: fake.prefix,
    handle: async (request, response, subPath, body) => {
      await fake.handle(request, response, subPath, body);
      if (request.method !== 'GET' && request.method !== 'HEAD') writeFakesBooks(fakes, path);
    },
  }));
}
