import { finished } from 'node:stream/promises';
import { writePlainTextLedger, type PlainTextFormat } from './plain-text-ledger.js';
import { lineTaxCodes } from '../../rules/index.js';
import type { LedgerReads } from '../../reads/books/ledger-reads.js';
import type { DestinationExportFormat, DestinationExportRequest, DestinationKind } from '../destination-kind.js';

/** A plain-text ledger hledger (`hledger check`) or Beancount (`bean-check`) reads: exact amounts, the panels' balances asserted. */
function plainTextExport(format: PlainTextFormat, fileExtension: string): DestinationExportFormat {
  return {
    description: `a plain-text ledger ${format} checks`,
    fileExtension,
    async write(reads, request, out, endOut) {
      const { from, to, mappings, tax } = request;
      const accountTypes = Object.fromEntries(
        Object.entries(mappings.chart.accounts).map(([key, account]) => [key, account.type]),
      );
      const result = await writePlainTextLedger({
        format,
        accountTypes,
        accountsInUse: await reads.accountsInUse({ from, to }),
        entries: reads.journal.exactEntries({ from, to }),
        balanceAssertions: await balanceAssertions(reads, request),
        out,
        ...(from === undefined ? {} : { opening: { date: from, balances: await balancesBefore(reads, from) } }),
        ...(tax === undefined
          ? {}
          : {
              taxCodes: (entry) =>
                lineTaxCodes(
                  {
                    ...entry,
                    // Each line as booked, its tax treatment with it (issue 82).
                    lines: entry.lines.map((line) => ({
                      account: line.account,
                      cents: line.amountMicros,
                      tax: line.tax,
                    })),
                  },
                  tax.chart,
                  tax.flows,
                ).map((found) => found?.code),
            }),
      });
      if (endOut) {
        out.end();
        await finished(out);
      }
      return `${result.entries} entries, ${result.assertions} balance assertions`;
    },
  };
}

/**
 * Each balance a source reported at a close of the window, on the account its kind holds the source's money in
 * (a panel's 110.00 on panel_prepaid); a source the configuration no longer names has no kind to say it, and no assertion.
 */
async function balanceAssertions(reads: LedgerReads, request: DestinationExportRequest) {
  const { from, to, balanceAccounts } = request;
  return (await reads.reportedBalances({ from, to })).flatMap((reported) => {
    const account = balanceAccounts.get(reported.sourceId);
    return account === undefined ? [] : [{ ...reported, account }];
  });
}

/** Each source's balance of each account and currency before `date`, exact: what a window starting on it opens with. */
async function balancesBefore(reads: LedgerReads, date: string) {
  return (await reads.movementsBefore(date)).map((movement) => ({
    sourceId: movement.sourceId,
    account: movement.account,
    currency: movement.currency,
    amountMicros: movement.debitMicros - movement.creditMicros,
  }));
}

export const hledgerDestination: DestinationKind = {
  name: 'hledger',
  exportFormat: plainTextExport('hledger', 'journal'),
};

export const beancountDestination: DestinationKind = {
  name: 'beancount',
  exportFormat: plainTextExport('beancount', 'beancount'),
};
