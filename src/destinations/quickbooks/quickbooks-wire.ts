import { z } from 'zod';

/**
 * QuickBooks replies as ledgerline reads them (minorversion 75). Numbers stay
 * decimal text (parseJsonExact), so an error `code` is a string either way.
 */
const codeSchema = z.union([z.string(), z.number()]).transform(String);

const quickbooksFaultSchema = z.object({
  Error: z
    .array(z.object({ Message: z.string().optional(), Detail: z.string().optional(), code: codeSchema.optional() }))
    .default([]),
  type: z.string().optional(),
});
export type QuickbooksFault = z.infer<typeof quickbooksFaultSchema>;

export const quickbooksFaultReplySchema = z.object({ Fault: quickbooksFaultSchema });

export const quickbooksBatchReplySchema = z.object({
  BatchItemResponse: z.array(
    z.object({
      bId: z.string(),
      JournalEntry: z.object({ Id: z.string() }).optional(),
      Fault: quickbooksFaultSchema.optional(),
    }),
  ),
});

export const quickbooksJournalQueryReplySchema = z.object({
  QueryResponse: z.object({
    JournalEntry: z.array(z.object({ Id: z.string(), DocNumber: z.string().optional() })).optional(),
  }),
});

/** Journal entries read back for a tie-out: amounts stay decimal text (parseJsonExact). */
export const quickbooksReadBackReplySchema = z.object({
  QueryResponse: z.object({
    JournalEntry: z
      .array(
        z.object({
          Id: z.string(),
          PrivateNote: z.string().optional(),
          Line: z
            .array(
              z.object({
                Amount: codeSchema.optional(),
                JournalEntryLineDetail: z
                  .object({
                    PostingType: z.string(),
                    AccountRef: z.object({ value: codeSchema }),
                    TaxCodeRef: z.object({ value: codeSchema, name: z.string().optional() }).optional(),
                    TaxAmount: codeSchema.optional(),
                  })
                  .optional(),
              }),
            )
            .default([]),
        }),
      )
      .optional(),
  }),
});

/** reports/TrialBalance: a row per account, ColData [account {value, id}, debit, credit]; the GrandTotal row has no id. */
export const quickbooksTrialBalanceReplySchema = z.object({
  Rows: z.object({
    Row: z
      .array(
        z.object({
          ColData: z.array(z.object({ value: codeSchema.optional(), id: codeSchema.optional() })).optional(),
        }),
      )
      .default([]),
  }),
});

export const quickbooksPreferencesReplySchema = z.object({
  Preferences: z.object({
    AccountingInfoPrefs: z
      .object({
        BookCloseDate: z.string().optional(),
        ClassTrackingPerTxnLine: z.boolean().optional(),
        TrackDepartments: z.boolean().optional(),
      })
      .optional(),
    CurrencyPrefs: z.object({ HomeCurrency: z.object({ value: z.string() }).optional() }).optional(),
  }),
});

export const quickbooksCompanyInfoReplySchema = z.object({
  CompanyInfo: z.object({ CompanyName: z.string().optional(), Country: z.string().optional() }),
});

export const quickbooksAccountQueryReplySchema = z.object({
  QueryResponse: z.object({
    Account: z
      .array(
        z.object({
          Id: z.string(),
          Name: z.string(),
          Active: z.boolean().optional(),
          AccountType: z.string().optional(),
        }),
      )
      .optional(),
  }),
});

/** A query of Class, Department, Customer or Vendor: each entry's Id and its Name (DisplayName for people). */
export const quickbooksListQueryReplySchema = z.object({
  QueryResponse: z.record(z.string(), z.unknown()),
});
export const quickbooksListEntrySchema = z.object({
  Id: z.string(),
  Name: z.string().optional(),
  DisplayName: z.string().optional(),
});

/** Whether an error of the Fault has `code` or says `words`: Intuit's codes vary between reports, so the text counts as well. */
function faultSays(fault: QuickbooksFault, code: string, words: RegExp): boolean {
  return fault.Error.some((error) => error.code === code || words.test(`${error.Message ?? ''} ${error.Detail ?? ''}`));
}

/** Intuit's closed-books refusal: code 6210, though some report 6200. */
export function isClosedBooksFault(fault: QuickbooksFault): boolean {
  return faultSays(fault, '6210', /account period has closed/i);
}

/** Intuit's refusal of a batch with too many items (1040, "The batch limit size is 30"). */
export function isBatchSizeFault(fault: QuickbooksFault): boolean {
  return faultSays(fault, '1040', /batch (limit )?size/i);
}

/** The limit a batch-size refusal names ("The batch limit size is 10."), when it names one. */
export function batchLimitInFault(fault: QuickbooksFault): number | undefined {
  const match = fault.Error.map((error) => /limit size is (\d+)/i.exec(error.Detail ?? '')).find(
    (found) => found !== null,
  );
  return match ? Number(match[1]) : undefined;
}

export function isDuplicateDocNumberFault(fault: QuickbooksFault): boolean {
  return fault.Error.some((error) => error.code === '6140');
}

/** "Invalid Reference Id: Invalid Reference Id : Accounts element id 7 not found (code 2500)" */
export function quickbooksFaultText(fault: QuickbooksFault): string {
  if (fault.Error.length === 0) return `a ${fault.type ?? 'Fault'} without details`;
  return fault.Error.map((error) => {
    const words = [error.Message, error.Detail].filter((text): text is string => text !== undefined && text !== '');
    return `${words.join(': ') || 'no message'}${error.code === undefined ? '' : ` (code ${error.code})`}`;
  }).join('; ');
}
