import type { BankImportReport } from '../pipeline/transit/index.js';

/** What `bank import` prints of its report: the file, its lines read and added, the opening and each match. */
export function bankImportLine(imported: BankImportReport): string {
  const head = `${imported.file} (${imported.format}, sha256 ${imported.sha256.slice(0, 12)}…): ${imported.read} `;
  const said = [...openingLines(imported), ...matchLines(imported)].join('');
  if (imported.dryRun === true) return `${head}lines read for ${imported.account}; dry run: nothing written\n${said}`;
  const again = imported.seenBefore ? ' (this file was imported before)' : '';
  const moved =
    imported.bankLegsBooked === 0
      ? ''
      : `; ${imported.bankLegsBooked} payouts and top-ups moved out of clearing to the bank`;
  return `${head}lines read, ${imported.added} new for ${imported.account}${again}${moved}\n${said}`;
}

/** The opening's word on a line of its own, marked `!` when the ledger does not reach it. */
function openingLines(imported: BankImportReport): string[] {
  const { opening } = imported;
  if (opening === null) return [];
  return [`${opening.action === 'differs' ? '! ' : '  '}${opening.message}\n`];
}

/**
 * Each payout and top-up the statement's lines settle (or a dry run's would), one a line; one that differs says
 * what it waits for: its bank leg is booked once a person accepts the difference (`transit accept`).
 */
function matchLines(imported: BankImportReport): string[] {
  const verb = imported.dryRun === true ? 'would match' : 'matched';
  return imported.matches.map(
    (match) =>
      `  ${match.state === 'matched' ? verb : match.state} ${match.kind} ${match.item} of ${match.amount}: ` +
      `bank ${match.lineAmount} on ${match.date} (${match.bankLine})` +
      (match.state === 'differs'
        ? `; nothing booked for it: its bank leg waits for you to accept the difference (ledgerline transit accept ${match.item})`
        : '') +
      '\n',
  );
}
