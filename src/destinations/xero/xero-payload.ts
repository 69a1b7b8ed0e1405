import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ConfigError, LedgerIntegrityError } from '../../errors.js';
import type { RenderedEntry } from '../../rules/index.js';
import { mappedAccount, type AccountMapping } from '../delivery/account-mapping.js';
import { centsAsJsonNumber } from '../delivery/cents-number.js';
import { formatCents } from '../../money/index.js';
import { assertDeliverable, singleCurrency } from '../delivery/deliverable-entry.js';
import { nettedAway, withoutNetted } from '../delivery/netted-lines.js';
import type { Conversion } from '../destination-client.js';
import { baseCents } from '../entry-conversion.js';
import { journalNarration } from '../journal-narration.js';
import type { xeroMappingAccount } from './xero-mapping.js';

/** Xero's own statuses for a manual journal that ledgerline may create (DESIGN §5: POSTED, DRAFT configurable). */
export const XERO_JOURNAL_STATUSES = ['POSTED', 'DRAFT'] as const;
export type XeroJournalStatus = (typeof XERO_JOURNAL_STATUSES)[number];

/** Xero takes "about 50" elements per request (developer.xero.com, API limits). */
export const XERO_JOURNALS_PER_REQUEST = 50;
export const XERO_IDEMPOTENCY_KEY_MAX_LENGTH = 128;
/** A journal line may carry at most two tracking categories. */
const XERO_MAX_TRACKING = 2;
/**
 * Xero's no-tax type ("Tax Exempt" / "No GST" / "No VAT" by region). A mapping
 * of NONE (the loader's default) is no tax type at all; in a tax-inclusive
 * journal it is what a line without one gets, so the account's default tax
 * rate cannot split that line.
 */
export const XERO_NO_TAX_TYPE = 'NONE';

type XeroTracking = NonNullable<XeroAccount['tracking']>[number];

/** What the Xero mapping (mappings/xero.yaml) says about one ledger account, as its schema reads it (taxType NONE when left out). */
export type XeroAccount = z.input<typeof xeroMappingAccount>;

interface XeroManualJournalLinePayload {
  /** Debits positive, credits negative. */
  lineAmount: number;
  accountCode: string;
  description?: string;
  taxType?: string;
  tracking?: XeroTracking[];
}

/**
 * xero-node's camelCase ManualJournal model, with its enums written as the
 * strings they hold at run time ('POSTED', 'NoTax'): ObjectSerializer passes
 * enum values through unchanged, so the client hands these to
 * createManualJournals as `{ manualJournals: [...] }` (one cast at that
 * boundary, because the SDK declares its enums as TypeScript enums).
 */
interface XeroManualJournalPayload {
  narration: string;
  /** YYYY-MM-DD */
  date: string;
  status: XeroJournalStatus;
  lineAmountTypes: 'NoTax' | 'Inclusive';
  journalLines: XeroManualJournalLinePayload[];
}

/** The tracking of a mapped account, refused when it has more than Xero's two categories. */
export function xeroTracking(account: XeroAccount, accountKey: string): readonly XeroTracking[] {
  const tracking = account.tracking ?? [];
  if (tracking.length > XERO_MAX_TRACKING) {
    throw new ConfigError([
      {
        file: 'Xero account mapping',
        path: `${accountKey}.tracking`,
        message: `has ${tracking.length} tracking categories; a Xero journal line takes at most ${XERO_MAX_TRACKING}`,
      },
    ]);
  }
  return tracking;
}

/**
 * The create body of one entry for accountingApi.createManualJournals. Amounts
 * are the entry's rendered cents, signed as Xero wants (Dr 1.57 → 1.57,
 * Cr 1.56 → -1.56). LineAmountTypes is NoTax, with no tax type on any line,
 * unless a line's account maps a tax type other than NONE; then it is
 * Inclusive and every line carries its type (NONE when it maps none), so Xero
 * splits the tax out of the amounts we send (Dr 115.00 at 15% → 100.00 +
 * 15.00 tax) and the journal still balances at our cents. Exclusive would add
 * tax on top and unbalance it. `taxTypes` (one per line of the entry, from the
 * mapping's `tax:` flows, issue 54) wins over the account's type for its line:
 * the ledger's amounts are what was paid, tax included, hence Inclusive.
 *
 * A manual journal is in the organisation's base currency, so an entry in
 * another goes with its `conversion`: every line converted at the rate and
 * kept balanced (convertCents), its description saying what it was
 * ("… (EUR 10.01 at 1.5)"). A line that converts to 0.00 is left out, and so are the lines that net to zero on one
 * account code, tax type and tracking (xeroNettedAway): a reclassification between two accounts mapped alike.
 */
export function xeroManualJournal(
  booked: RenderedEntry,
  mapping: AccountMapping<XeroAccount>,
  options: {
    status: XeroJournalStatus;
    conversion?: Conversion | undefined;
    taxTypes?: readonly (string | undefined)[] | undefined;
  },
): XeroManualJournalPayload {
  if (booked.lines.length === 0) throw new LedgerIntegrityError(`entry ${booked.id} has no lines to post to Xero`);
  assertDeliverable(booked);
  singleCurrency(booked, 'Xero');
  const { entry, perLine: taxTypes } = withoutNetted(
    booked,
    xeroNettedAway(booked, mapping, options.taxTypes),
    options.taxTypes,
  );
  if (entry.lines.length === 0)
    throw new LedgerIntegrityError(`entry ${entry.id} has no lines to post to Xero: they net to zero there`);
  const { conversion } = options;
  const converted = baseCents(entry, conversion);
  const lines = entry.lines
    .map((line, index) => {
      const account = mappedAccount(mapping, line.account, entry.id, 'Xero');
      return { line, cents: converted[index] ?? 0n, account, taxType: taxTypes?.[index] ?? account.taxType };
    })
    .filter(({ cents }) => cents !== 0n);
  const taxed = lines.some(({ taxType }) => taxType !== undefined && taxType !== XERO_NO_TAX_TYPE);
  return {
    // A ManualJournal has no reference field: the entry id in the narration is how a look-up finds it after an
    // unknown outcome, and (entry ids being unique) what keeps a CSV import's journals apart (Xero groups by it and date).
    narration: journalNarration(entry),
    date: entry.date,
    status: options.status,
    lineAmountTypes: taxed ? 'Inclusive' : 'NoTax',
    journalLines: lines.map(({ line, cents, account, taxType }) => {
      const tracking = xeroTracking(account, line.account);
      const description = line.description ?? entry.description;
      return {
        lineAmount: centsAsJsonNumber(cents),
        accountCode: account.code,
        description:
          conversion === undefined
            ? description
            : `${description} (${conversion.currency} ${formatCents(line.cents < 0n ? -line.cents : line.cents)} at ${conversion.rate})`,
        ...(taxed ? { taxType: taxType ?? XERO_NO_TAX_TYPE } : {}),
        ...(tracking.length === 0 ? {} : { tracking: tracking.map(({ name, option }) => ({ name, option })) }),
      };
    }),
  };
}

/**
 * Which lines of an entry Xero is not sent (nettedAway): those netting to zero on one account code, tax type (its
 * flow's, else its account's) and tracking. An account without a mapping nets nothing (the post refuses it first).
 */
export function xeroNettedAway(
  entry: RenderedEntry,
  mapping: AccountMapping<XeroAccount>,
  taxTypes: readonly (string | undefined)[] | undefined,
): boolean[] {
  const keys = entry.lines.map((line, index) => {
    const account = Object.hasOwn(mapping, line.account) ? mapping[line.account] : undefined;
    if (account === undefined) return `unmapped ${index}`;
    return JSON.stringify([
      account.code,
      taxTypes?.[index] ?? account.taxType ?? XERO_NO_TAX_TYPE,
      account.tracking ?? [],
    ]);
  });
  return nettedAway(entry.lines, keys);
}

/** Entry ids that can be read back from a key: printable ASCII without spaces. */
const READABLE_ID = /^[\x21-\x7e]+$/;

/**
 * The Idempotency-Key of one createManualJournals request, from the ids of
 * the journals in it (sorted, so the same set always gives the same key):
 * "ll:je:smm-panel:2026-03-02 je:smm-panel:2026-03-03" while that fits in
 * 128 characters of header-safe text, else "ll-sha256:" + the SHA-256 of the
 * ids. A retry of an unknown outcome reuses the key, so Xero replays its
 * first answer instead of creating the journals twice. `attempt` (default 0)
 * is for after a definite refusal (a locked period since reopened): a new
 * attempt number gets a new key, since Xero may replay the refusal otherwise.
 */
export function xeroIdempotencyKey(entryIds: readonly string[], options: { attempt?: number } = {}): string {
  if (entryIds.length === 0) throw new RangeError('an idempotency key needs at least one entry id');
  const attempt = options.attempt ?? 0;
  if (!Number.isSafeInteger(attempt) || attempt < 0)
    throw new RangeError(`attempt must be a whole number ≥ 0, got ${attempt}`);
  const ids = [...entryIds].sort();
  const suffix = attempt === 0 ? '' : ` #${attempt}`;
  const readable = `ll:${ids.join(' ')}${suffix}`;
  if (readable.length <= XERO_IDEMPOTENCY_KEY_MAX_LENGTH && ids.every((id) => READABLE_ID.test(id))) return readable;
  const digest = createHash('sha256')
    .update(JSON.stringify([ids, attempt]))
    .digest('hex');
  return `ll-sha256:${digest}`;
}
