import { z } from 'zod';
import { describePostgresUrl, postgresPassword, type Config } from '../../config/index.js';
import { EXIT, LedgerStorageError, RunInProgressError } from '../../errors.js';
import {
  besideLedger,
  carryBesideLedger,
  type CarriedBesideLedger,
  moveLedgerToPostgres,
  type LedgerMove,
} from '../../pipeline/operations/index.js';
import { holdLedger, LEDGER_MOVE_HOLDER, ledgerHolders, type LedgerHold } from '../ledger-holders.js';
import { formatMicros } from '../../money/index.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { configAfterMoveTo, loadConfigFor, withBooksFor, writeJson } from '../load.js';

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
    const applied = await withBooksFor(config, {}, (books) => books.migrate());
    // Opening the ledger already migrates; report what the schema is now.
    if (context.json) writeJson(context, { ledger: config.ledger, migrated: true, appliedNow: applied });
    else context.stdout.write(`ledger ${config.ledger} is up to date\n`);
    return EXIT.ok;
  },
});

async function moveLedger(context: CommandProcess, config: Config, to: string): Promise<typeof EXIT.ok> {
  const from = config.ledger;
  const password = postgresPassword(to);
  if (password !== undefined) context.addSecrets([password]);
  const target = describePostgresUrl(to);
  // Read before anything is copied: a configuration that cannot be read with the URL stops the move here.
  const beside = besideLedger(config, configAfterMoveTo(context, to));
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

function moveJson(from: string, to: string, { proof, kept, seal }: LedgerMove): unknown {
  return {
    from,
    to,
    kept,
    sealed: seal !== undefined && 'movedTo' in seal,
    tables: proof.tables.map((row) => ({ table: row.table, sqlite: row.source, postgres: row.target })),
    trialBalance: proof.trialBalance.map((row) => ({
      account: row.account,
      currency: row.currency,
      sqlite: row.source,
      postgres: row.target,
    })),
    entries: {
      sqlite: proof.entries.source,
      postgres: proof.entries.target,
      sqliteDigest: proof.entries.sourceDigest,
      postgresDigest: proof.entries.targetDigest,
    },
    differences: proof.differences,
    differenceCount: proof.differenceCount,
  };
}

function renderMove(from: string, to: string, { proof, kept, seal }: LedgerMove): string {
  const lines = [
    kept
      ? `copied ${from} into ${to}; both sides read alike:`
      : `the copy of ${from} in ${to} differs from it, and was rolled back:`,
    '',
    'rows per table (SQLite, PostgreSQL):',
  ];
  const width = Math.max(...proof.tables.map((row) => row.table.length));
  for (const row of proof.tables)
    lines.push(
      `  ${row.table.padEnd(width)}  ${String(row.source).padStart(9)}  ${String(row.target).padStart(9)}${mark(row.source === row.target)}`,
    );
  lines.push('', 'trial balance, debits and credits (SQLite | PostgreSQL):');
  for (const row of proof.trialBalance) {
    const equal =
      row.source.debitMicros === row.target.debitMicros && row.source.creditMicros === row.target.creditMicros;
    lines.push(
      `  ${row.account} ${row.currency}: ${formatMicros(row.source.debitMicros)} / ${formatMicros(row.source.creditMicros)} | ` +
        `${formatMicros(row.target.debitMicros)} / ${formatMicros(row.target.creditMicros)}${mark(equal)}`,
    );
  }
  const { entries } = proof;
  lines.push(
    '',
    `entries: ${entries.source} in SQLite, ${entries.target} in PostgreSQL; content hashes (stored and recomputed from the lines) digest to`,
    `  ${entries.sourceDigest} | ${entries.targetDigest}${mark(entries.sourceDigest === entries.targetDigest)}`,
  );
  if (proof.differenceCount > 0) {
    lines.push(
      '',
      `${proof.differenceCount} difference(s):`,
      ...proof.differences.map((difference) => `  - ${difference}`),
    );
    if (proof.differenceCount > proof.differences.length)
      lines.push(`  … and ${proof.differenceCount - proof.differences.length} more`);
  } else {
    const sealed = seal !== undefined && 'movedTo' in seal;
    lines.push(
      '',
      `set "ledger: postgres://${to}" (the password through \${VAR} or PGPASSWORD) to use the PostgreSQL ledger; ` +
        `${from} ${sealed ? 'is sealed: its books are unchanged and still readable, and every command that writes now refuses it' : 'was not sealed'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function mark(equal: boolean): string {
  return equal ? '' : '   ← differs';
}

/**
 * A process that holds the file open would go on writing into it after the move (the seal refuses it, but an
 * order or a webhook answered then is kept only in its spool or lost to the sender): stop each one first.
 */
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
