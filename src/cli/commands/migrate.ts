import { z } from 'zod';
import { describePostgresUrl, postgresPassword, type Config } from '../../config/index.js';
import { EXIT, LedgerStorageError, RunInProgressError } from '../../errors.js';
import {
  besideLedger,
  carryBesideLedger,
  type CarriedBesideLedger,
  moveJson,
  moveLedgerToPostgres,
  renderMove,
  type LedgerMove,
} from '../../pipeline/operations/index.js';
import { sourceKinds } from '../../pipeline/kinds/index.js';
import { holdLedger, LEDGER_MOVE_HOLDER, ledgerHolders, type LedgerHold } from '../../app/ledger-holders.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { configAfterMoveTo, loadConfigFor, withBooksFor } from '../../app/configured-books.js';
import { treatmentsGivenLine, type TreatmentsGiven } from '../../app/books.js';
import { writeJson } from '../write-json.js';

export const migrateCommand: Command = withFlags({
  usage: 'ledgerline migrate [--to postgres://USER@HOST:PORT/DATABASE] [--json]',
  flags: z.object({
    to: flag.text(
      'URL',
      'copy the SQLite ledger into this empty PostgreSQL database, prove the copy, then seal the file against writes; the password through PGPASSWORD',
    ),
  }),
  examples: [
    'ledgerline migrate   # every command does this itself; run it alone after an upgrade',
    'PGPASSWORD=… ledgerline migrate --to postgres://books@db.internal:5432/ledger   # then set ledger: to that URL',
  ],
  async run(context) {
    const config = loadConfigFor(context);
    if (context.flags.to !== undefined) return moveLedger(context, config, context.flags.to);
    let treated: TreatmentsGiven | undefined;
    const onTreatments = (given: TreatmentsGiven) => void (treated = given);
    const applied = await withBooksFor(config, context.ledger, (books) => books.migrate(), { onTreatments });
    // Opening the ledger already migrates (and gives entries booked before 0039 their treatments); report what it did.
    if (context.json) {
      const treatments = treated === undefined ? {} : { lineTaxTreatments: treated };
      writeJson(context, { ledger: config.ledger, migrated: true, appliedNow: applied, ...treatments });
    } else {
      context.stdout.write(`ledger ${config.ledger} is up to date\n`);
      if (treated !== undefined) context.stdout.write(`${treatmentsGivenLine(treated)}\n`);
    }
    return EXIT.ok;
  },
});

async function moveLedger(context: CommandProcess, config: Config, to: string): Promise<typeof EXIT.ok> {
  const from = config.ledger;
  const password = postgresPassword(to);
  if (password !== undefined) context.addSecrets([password]);
  const target = describePostgresUrl(to);
  // Read before anything is copied: a configuration that cannot be read with the URL stops the move here.
  const beside = besideLedger(config, configAfterMoveTo(context, to), sourceKinds.spoolOf);
  // Registered first, then the others looked at: a proxy, sync or schedule starting meanwhile is refused, and this one sees any already running.
  const hold = holdLedger(context, from, `${LEDGER_MOVE_HOLDER} ${target}`);
  try {
    refuseWhileHeld(from, hold);
    const move = await moveLedgerToPostgres(from, to, context.now().toISOString());
    const carried = move.kept ? carryBesideLedger(beside, config.file) : [];
    if (context.json) writeJson(context, { ...(moveJson(from, target, move) as object), carried });
    else context.stdout.write(renderMove(from, target, move) + saidOf(carried));
    return outcomeOf(from, target, move);
  } finally {
    hold.release();
  }
}

function saidOf(carried: readonly CarriedBesideLedger[]): string {
  return carried.map((item) => `${item.said}\n`).join('');
}

function outcomeOf(from: string, target: string, move: LedgerMove): typeof EXIT.ok {
  const { proof, kept } = move;
  if (move.seal !== undefined && 'failed' in move.seal) {
    throw new LedgerStorageError(
      `the copy in ${target} is kept, but ${from} could not be sealed (${move.seal.failed.message}); ` +
        `rename or remove ${from} so that nothing writes to it again`,
    );
  }
  if (!kept) {
    throw new LedgerStorageError(
      `the copy of ${from} in ${target} differs from it (${proof.differenceCount} difference(s); ` +
        `first: ${proof.differences[0] ?? 'none listed'}); it was rolled back and nothing was kept`,
    );
  }
  return EXIT.ok;
}

function refuseWhileHeld(ledger: string, own: LedgerHold): void {
  const holders = ledgerHolders(ledger).filter((holder) => holder.file !== own.file);
  if (holders.length === 0) return;
  const named = holders.map(
    (holder) => `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`,
  );
  throw new RunInProgressError(
    `${ledger} is held open by ${holders.length === 1 ? 'a running process' : `${holders.length} running processes`}: ${named.join('; ')}; ` +
      'stop each (Ctrl-C, or systemctl stop) and run migrate --to again; nothing was copied',
  );
}
