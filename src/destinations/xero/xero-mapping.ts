import { z } from 'zod';
import {
  XERO_JOURNAL_STATUSES,
  configFields,
  destinationMappingOf,
  taxCodesSection,
  taxSection,
  type DestinationMappingKind,
  type Mappings,
} from '../../config/index.js';

const { nonEmptyText } = configFields;

/** mappings/xero.yaml: the journals' status, what each ledger account is in Xero, and each flow's tax type (`tax:`, issue 54). */
const xeroMappingFile = z.lazy(() =>
  z.strictObject({
    status: z.enum(XERO_JOURNAL_STATUSES).default('POSTED'),
    accounts: z.record(z.string(), z.unknown()),
    tax: taxSection.optional(),
    /** The chart's tax codes as this destination writes them (issue 70); a code not listed passes as written. */
    taxCodes: taxCodesSection.optional(),
  }),
);

/** One ledger account under `accounts:` in mappings/xero.yaml. */
export const xeroMappingAccount = z.lazy(() =>
  z.strictObject({
    code: nonEmptyText().max(10, 'must be at most 10 characters (the length of a Xero account code)'),
    /** Sent as the line's TaxType over the API ("INPUT2"); any other than NONE makes the journal tax-inclusive. */
    taxType: nonEmptyText().default('NONE'),
    /**
     * The tax rate's display name, which the manual journal CSV import wants instead of the type. Left out,
     * the CSV names the no-tax rate of the organisation's region (destinations.xero.region; see xeroNoTaxRate).
     */
    taxRate: nonEmptyText().optional(),
    tracking: z
      .array(
        z.strictObject({
          name: nonEmptyText().max(100, 'must be at most 100 characters'),
          option: nonEmptyText().max(100, 'must be at most 100 characters'),
        }),
      )
      .max(2, 'Xero allows at most 2 tracking categories on a journal line')
      .optional(),
  }),
);
/** The Xero kind's mapping file beside the chart. */
export const xeroMapping: DestinationMappingKind<typeof xeroMappingFile, typeof xeroMappingAccount> = {
  kind: 'xero',
  fileName: 'xero.yaml',
  title: 'Xero',
  fileSchema: xeroMappingFile,
  accountSchema: xeroMappingAccount,
};

/** mappings/xero.yaml as loaded, when the command asked for it. */
export function xeroMappingOf(mappings: Pick<Mappings, 'destinations'>) {
  return destinationMappingOf(mappings, xeroMapping);
}
