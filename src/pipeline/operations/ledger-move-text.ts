import type { LedgerMove } from './move-ledger.js';
import { formatMicros } from '../../money/index.js';

/** `migrate --to --json`: the move's proof, table by table and account by account. */
export function moveJson(from: string, to: string, { proof, kept, seal }: LedgerMove): unknown {
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

/** `migrate --to`'s text: each table's rows and each account's balance on both sides, marked equal or not. */
export function renderMove(from: string, to: string, { proof, kept, seal }: LedgerMove): string {
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
