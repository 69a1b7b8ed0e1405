import { z } from 'zod';
import {
  configFields,
  destinationMappingOf,
  taxCodesSection,
  taxSection,
  type DestinationMappingKind,
  type Mappings,
} from '../../config/index.js';

const { nonEmptyText } = configFields;

/**
 * mappings/quickbooks.yaml: what each ledger account is in QuickBooks, and for a company outside the US each
 * flow's tax code (`tax:`, issue 54, as in xero.yaml; a code is a TaxCode's Id or its Name, "20.0% S") and the
 * code of every other income or expense line (`untaxedCode: "No VAT"`).
 */
const quickbooksMappingFile = z.lazy(() =>
  z.strictObject({
    accounts: z.record(z.string(), z.unknown()),
    tax: taxSection.optional(),
    /** The chart's tax codes as this destination writes them (issue 70); a code not listed passes as written. */
    taxCodes: taxCodesSection.optional(),
    untaxedCode: nonEmptyText().max(100, "must be at most 100 characters (a tax code's Id or Name)").optional(),
  }),
);

const listItem = z.lazy(() => z.union([nonEmptyText(), z.strictObject({ id: nonEmptyText(), name: nonEmptyText() })]));

/** One ledger account under `accounts:` in mappings/quickbooks.yaml. */
export const quickbooksMappingAccount = z.lazy(() =>
  z
    .strictObject({
      /** The AccountRef value the API wants. */
      id: nonEmptyText(),
      /** The account's full name for the CSV import; a sub-account is written Parent:Sub. */
      name: nonEmptyText(),
      /** A name (post looks its id up in QuickBooks; the CSV import uses it as it is) or { id, name }. */
      class: listItem.optional(),
      /** QuickBooks' Location (a Department in the API). */
      location: listItem.optional(),
      /** The Customer (on Accounts Receivable) or Vendor (on Accounts Payable) each line names, the same way. */
      customer: listItem.optional(),
      vendor: listItem.optional(),
    })
    .refine((account) => account.customer === undefined || account.vendor === undefined, {
      message: 'a journal line names one customer or one vendor, not both',
      path: ['vendor'],
    }),
);
/** The QuickBooks kind's mapping file beside the chart. */
export const quickbooksMapping: DestinationMappingKind<typeof quickbooksMappingFile, typeof quickbooksMappingAccount> =
  {
    kind: 'quickbooks',
    fileName: 'quickbooks.yaml',
    title: 'QuickBooks',
    fileSchema: quickbooksMappingFile,
    accountSchema: quickbooksMappingAccount,
  };

/** mappings/quickbooks.yaml as loaded, when the command asked for it. */
export function quickbooksMappingOf(mappings: Pick<Mappings, 'destinations'>) {
  return destinationMappingOf(mappings, quickbooksMapping);
}
