import { z } from 'zod';
import { configFields, destinationMappingOf, type DestinationMappingKind, type Mappings } from '../../config/index.js';

const { nonEmptyText } = configFields;

/** A number the configuration may write bare (1001) or quoted ("1001"), kept as its digits. */
const digits = (what: string, pattern: RegExp) =>
  z
    .union([z.string(), z.number().int().nonnegative()])
    .transform(String)
    .pipe(z.string().regex(pattern, `must be ${what}`));

/** "MM-DD", a day of the year: a fiscal year's first day. */
const dayOfYear = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a day of the year, MM-DD, such as "01-01"');

/** `destinations.datev`: what the tax adviser's DATEV says of the client, written into the file's header. */
export const datevSection = z.strictObject({
  /** Beraternummer, the adviser's DATEV number (1001–9999999). */
  adviser: digits(
    'the adviser number, 4 to 7 digits from 1001',
    /^(100[1-9]|10[1-9]\d|1[1-9]\d\d|[2-9]\d{3}|\d{5,7})$/,
  ),
  /** Mandantennummer, the client's number at the adviser (1–99999). */
  client: digits('the client number, 1 to 5 digits', /^[1-9]\d{0,4}$/),
  /** The chart the adviser keeps the client in: the account numbers of datev.yaml are its. */
  chart: z.enum(['SKR03', 'SKR04']),
  /** WJ-Beginn: the fiscal year's first day. */
  fiscalYearStart: dayOfYear.default('01-01'),
  /** Sachkontenlänge: the digits of a general-ledger account (4 in SKR03 and SKR04 as delivered). */
  accountLength: z.number().int().min(4).max(8).default(4),
});
export type DatevSection = z.output<typeof datevSection>;

/** mappings/datev.yaml: each ledger account's number in the adviser's chart, and its BU-Schlüssel where it has one. */
const datevMappingFile = z.strictObject({ accounts: z.record(z.string(), z.unknown()) });

/** One ledger account under `accounts:` in mappings/datev.yaml. */
const datevMappingAccount = z.strictObject({
  /** The SKR03/SKR04 number (Konto): "1360", "8400". */
  account: z.string().regex(/^\d{1,9}$/, "must be the account number in the adviser's chart, digits only"),
  /** The BU-Schlüssel (tax key) bookings to the account carry, as the adviser says: "9" for 19 % input tax, say. */
  taxKey: nonEmptyText()
    .regex(/^\d{1,4}$/, 'must be a BU-Schlüssel, 1 to 4 digits')
    .optional(),
  /** A Debitor or Kreditor (personal account): its number has one digit more than the Sachkontenlänge. */
  personal: z.boolean().optional(),
});

export const datevMapping: DestinationMappingKind<typeof datevMappingFile, typeof datevMappingAccount> = {
  kind: 'datev',
  fileName: 'datev.yaml',
  title: 'DATEV',
  fileSchema: datevMappingFile,
  accountSchema: datevMappingAccount,
};

/** The DATEV mapping as the export reads it; the loader read it when the export asked for the kind. */
export function datevMappingOf(mappings: Pick<Mappings, 'destinations'>) {
  return destinationMappingOf(mappings, datevMapping);
}

/**
 * The BU-Schlüssel of a booking: the tax key of its debit account's mapping, else its credit account's; none when
 * neither has one. The one place the key is looked up, so where a line's tax is read from can change here alone.
 */
export function taxKeyOf(
  accounts: Readonly<Record<string, { taxKey?: string | undefined }>>,
  booking: { debit: string; credit: string },
): string {
  return accounts[booking.debit]?.taxKey ?? accounts[booking.credit]?.taxKey ?? '';
}
