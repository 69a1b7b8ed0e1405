import { finished } from 'node:stream/promises';
import { writePlainTextLedger, type PlainTextFormat } from './plain-text-ledger.js';
import { lineTaxCodes } from '../../rules/index.js';
import type { LedgerReads } from '../../reads/index.js';
import type { DestinationExportFormat, DestinationKind } from '../destination-kind.js';

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
        panelBalances: await reads.reportedBalances({ from, to }),
        out,
        ...(from === undefined ? {} : { opening: { date: from, balances: await balancesBefore(reads, from) } }),
        ...(tax === undefined
          ? {}
          : {
              taxCodes: (entry) =>
                lineTaxCodes(
                  { ...entry, lines: entry.lines.map((line) => ({ account: line.account, cents: line.amountMicros })) },
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
