import { z } from 'zod';
import { InvalidReplyError, OutcomeUnknownError } from '../../errors.js';
import { readIsoDateTime } from '../../calendar/index.js';
import { numberText } from '../../money/index.js';
import type { RenderedEntry } from '../../rules/index.js';
import { centsFromJsonNumber, reportCellCents } from '../delivery/cents-number.js';
import type { DeliveryOutcome, RemoteJournal } from '../destination-client.js';
import { sumByAccount } from '../entry-conversion.js';
import { chainWitness, journalNarration } from '../journal-narration.js';
import { xeroJournalRefusal } from './xero-faults.js';
import { XERO_ACCOUNT_CLASSES, xeroLockDate, type XeroOrganisationFacts } from './xero-organisation-checks.js';

/** Xero's replies as xero-node hands them over (camelCase models), and pure readers turning them into ledgerline's values. */

const journalReplySchema = z.object({
  narration: z.string().optional(),
  manualJournalID: z.string().optional(),
  /** "ERROR" on an element Xero refused (XOAS ManualJournal.StatusAttributeString). */
  statusAttributeString: z.string().optional(),
  validationErrors: z.array(z.object({ message: z.string().optional() })).nullish(),
});
/** A manual journal's line as a create's reply and a read-back hold it: amounts as JSON numbers, signed. */
export const journalLineReplySchema = z.object({
  accountCode: z.string().nullish(),
  lineAmount: z.number().nullish(),
  taxType: z.string().nullish(),
  taxAmount: z.number().nullish(),
});
const readBackSchema = z.object({
  manualJournals: z
    .array(
      z.object({
        manualJournalID: z.string(),
        narration: z.string().nullish(),
        status: z.string().optional(),
        journalLines: z.array(journalLineReplySchema).nullish(),
      }),
    )
    .nullish(),
});
const trialBalanceSchema = z.object({
  reports: z
    .array(
      z.object({
        rows: z
          .array(
            z.object({
              rowType: z.string().optional(),
              rows: z
                .array(z.object({ cells: z.array(z.object({ value: z.string().optional() })).nullish() }))
                .nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
});
/** Statuses of a journal a person has taken out of the books. */
const REMOVED_STATUSES = new Set(['DELETED', 'VOIDED', 'ARCHIVED']);
/** "Sales (200)" → "200": the trial balance names an account with its code in brackets. */
const ACCOUNT_CODE_IN_NAME = /\(([^()]+)\)\s*$/;
const journalsReplySchema = z.object({ manualJournals: z.array(journalReplySchema).nullish() });
const organisationsReplySchema = z.object({
  organisations: z
    .array(
      z.object({
        name: z.string().nullish(),
        baseCurrency: z.string().nullish(),
        countryCode: z.string().nullish(),
        periodLockDate: z.unknown().optional(),
        endOfYearLockDate: z.unknown().optional(),
      }),
    )
    .nullish(),
});
const accountsReplySchema = z.object({
  accounts: z.array(
    z.object({
      code: z.string().nullish(),
      name: z.string().nullish(),
      status: z.string().nullish(),
      _class: z.string().nullish(),
      systemAccount: z.string().nullish(),
    }),
  ),
});
const taxRatesReplySchema = z.object({
  taxRates: z.array(
    z.object({
      taxType: z.string().nullish(),
      name: z.string().nullish(),
      status: z.string().nullish(),
      canApplyToAssets: z.boolean().nullish(),
      canApplyToEquity: z.boolean().nullish(),
      canApplyToExpenses: z.boolean().nullish(),
      canApplyToLiabilities: z.boolean().nullish(),
      canApplyToRevenue: z.boolean().nullish(),
      effectiveRate: z.number().nullish(),
    }),
  ),
});
const trackingReplySchema = z.object({
  trackingCategories: z.array(
    z.object({
      name: z.string().nullish(),
      status: z.string().nullish(),
      options: z.array(z.object({ name: z.string().nullish(), status: z.string().nullish() })).nullish(),
    }),
  ),
});

/** Xero answers an element it refused with this id. */
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/** A reply body as `schema`, or InvalidReplyError naming the call and saying `reason` (else zod's first issue). */
export function readXeroReply<S extends z.ZodType>(
  schema: S,
  body: unknown,
  what: string,
  reason?: string,
): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new InvalidReplyError('Xero', what, reason ?? parsed.error.issues[0]?.message ?? 'not the expected shape');
  return parsed.data;
}

/** The one organisation of a GET Organisation reply, or InvalidReplyError when it holds none. */
export function readOrganisationEntry(
  body: unknown,
): NonNullable<z.output<typeof organisationsReplySchema>['organisations']>[number] {
  const found = readXeroReply(organisationsReplySchema, body, 'GET Organisation').organisations?.[0];
  if (!found) throw new InvalidReplyError('Xero', 'GET Organisation', 'no organisation in the reply');
  return found;
}

/** The organisation's lock date read from GET Organisation (xeroLockDate). */
export function readLockDate(body: unknown): string | undefined {
  const found = readOrganisationEntry(body);
  return xeroLockDate({
    periodLockDate: isoDay(found.periodLockDate),
    endOfYearLockDate: isoDay(found.endOfYearLockDate),
  });
}

/** The replies of GET Organisation, Accounts, TaxRates and TrackingCategories, read into the facts the organisation checks take. */
export function readOrganisationFacts(replies: {
  organisation: unknown;
  accounts: unknown;
  taxRates: unknown;
  tracking: unknown;
}): XeroOrganisationFacts {
  const organisation = readOrganisationEntry(replies.organisation);
  const accounts = readXeroReply(accountsReplySchema, replies.accounts, 'GET Accounts');
  const taxRates = readXeroReply(taxRatesReplySchema, replies.taxRates, 'GET TaxRates');
  const tracking = readXeroReply(trackingReplySchema, replies.tracking, 'GET TrackingCategories');
  return {
    name: organisation.name ?? '',
    baseCurrency: organisation.baseCurrency ?? '',
    countryCode: organisation.countryCode ?? '',
    periodLockDate: isoDay(organisation.periodLockDate),
    endOfYearLockDate: isoDay(organisation.endOfYearLockDate),
    accounts: accounts.accounts.map((account) => ({
      code: account.code ?? '',
      name: account.name ?? '',
      status: account.status ?? 'ACTIVE',
      accountClass: XERO_ACCOUNT_CLASSES.find((known) => known === account._class),
      systemAccount: account.systemAccount || undefined,
    })),
    taxRates: taxRates.taxRates.map((rate) => ({
      taxType: rate.taxType ?? '',
      name: rate.name ?? '',
      status: rate.status ?? 'ACTIVE',
      effectiveRate: rate.effectiveRate == null ? undefined : numberText(rate.effectiveRate),
      canApplyTo: {
        ...(rate.canApplyToAssets == null ? {} : { ASSET: rate.canApplyToAssets }),
        ...(rate.canApplyToEquity == null ? {} : { EQUITY: rate.canApplyToEquity }),
        ...(rate.canApplyToExpenses == null ? {} : { EXPENSE: rate.canApplyToExpenses }),
        ...(rate.canApplyToLiabilities == null ? {} : { LIABILITY: rate.canApplyToLiabilities }),
        ...(rate.canApplyToRevenue == null ? {} : { REVENUE: rate.canApplyToRevenue }),
      },
    })),
    trackingCategories: tracking.trackingCategories.map((category) => ({
      name: category.name ?? '',
      status: category.status ?? 'ACTIVE',
      options: (category.options ?? []).map((option) => ({
        name: option.name ?? '',
        status: option.status ?? 'ACTIVE',
      })),
    })),
  };
}

/** Journals read back by id: each one's lines summed by account in cents, or "removed" when a person deleted, voided or archived it. */
export function readPostedJournals(body: unknown): Map<string, RemoteJournal> {
  const read = readXeroReply(readBackSchema, body, 'GET ManualJournals', 'no ManualJournals list in the reply');
  const found = new Map<string, RemoteJournal>();
  for (const journal of read.manualJournals ?? []) {
    const status = journal.status ?? 'POSTED';
    const lines = (journal.journalLines ?? []).map((line) => ({
      account: line.accountCode ?? '',
      cents: centsFromJsonNumber(line.lineAmount ?? 0),
    }));
    // Each line's TaxAmount and LineAmount (its base), signed alike, under its TaxType: what the tax tie-out compares.
    const taxes = (journal.journalLines ?? []).flatMap((line) =>
      line.taxType == null
        ? []
        : [
            {
              code: line.taxType,
              cents: centsFromJsonNumber(line.taxAmount ?? 0),
              baseCents: centsFromJsonNumber(line.lineAmount ?? 0),
            },
          ],
    );
    found.set(
      journal.manualJournalID,
      REMOVED_STATUSES.has(status)
        ? { state: 'removed', status }
        : {
            state: 'present',
            lines: sumByAccount(lines),
            witness: chainWitness(journal.narration ?? undefined),
            taxes,
          },
    );
  }
  return found;
}

/** The trial balance as YTD debit minus YTD credit in cents per account code ("Sales (200)" → "200"). */
export function readTrialBalance(body: unknown): Map<string, bigint> {
  const parsed = trialBalanceSchema.safeParse(body);
  const report = parsed.success ? parsed.data.reports?.[0] : undefined;
  if (!report) throw new InvalidReplyError('Xero', 'GET Reports/TrialBalance', 'no report in the reply');
  const balances = new Map<string, bigint>();
  for (const section of report.rows ?? []) {
    for (const row of section.rows ?? []) {
      // Account, Debit, Credit, YTD Debit, YTD Credit: the YTD pair is the balance through the date.
      const cells = (row.cells ?? []).map((cell) => cell.value ?? '');
      const code = ACCOUNT_CODE_IN_NAME.exec(cells[0] ?? '')?.[1];
      if (code === undefined) continue;
      balances.set(code, reportCellCents(cells[3]) - reportCellCents(cells[4]));
    }
  }
  return balances;
}

/** The journals of a ManualJournals reply ([] when it has none or is not one). */
export function readJournalList(body: unknown): z.output<typeof journalReplySchema>[] | undefined {
  const parsed = journalsReplySchema.safeParse(body);
  return parsed.success ? (parsed.data.manualJournals ?? []) : undefined;
}

/**
 * What Xero said of each entry of a create, found by narration, not position (a replayed answer to an earlier
 * request with the same key may list more journals): posted with its id, or refused with its validation errors.
 * An entry the reply does not mention leaves the outcome unknown.
 */
export function readJournalOutcomes(
  entries: readonly RenderedEntry[],
  body: unknown,
  what: string,
  redact: (text: string) => string,
): Map<string, DeliveryOutcome> {
  const replies = readJournalList(body) ?? [];
  const outcomes = new Map<string, DeliveryOutcome>();
  for (const entry of entries) {
    const narration = journalNarration(entry);
    const reply =
      replies.find((candidate) => candidate.narration === narration) ??
      replies.find((candidate) => candidate.narration?.endsWith(`[${entry.id}]`));
    if (!reply) throw new OutcomeUnknownError('Xero', what, `the reply does not mention entry ${entry.id}`);
    const problems = (reply.validationErrors ?? []).map((error) => error.message ?? 'refused without a message');
    const posted =
      problems.length === 0 &&
      reply.statusAttributeString !== 'ERROR' &&
      reply.manualJournalID &&
      reply.manualJournalID !== ZERO_GUID;
    outcomes.set(
      entry.id,
      posted ? { status: 'posted', remoteId: reply.manualJournalID! } : xeroJournalRefusal(entry, problems, redact),
    );
  }
  return outcomes;
}

/** xero-node turns Xero's "/Date(…)/" into a Date even where the model says string. */
function isoDay(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string' || value === '') return undefined;
  const msDate = /^\/Date\((-?\d+)/.exec(value);
  if (msDate) return new Date(Number(msDate[1])).toISOString().slice(0, 10);
  const day = value.slice(0, 10);
  return readIsoDateTime(day) === undefined ? undefined : day;
}
