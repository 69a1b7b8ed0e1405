import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();

describe('a configuration whose ledger is a postgres URL', () => {
  it('is read, and each command that opens the ledger connects to it: a server that is not there is named without its password', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'ledgerline.yaml'),
      'ledger: postgres://books:${LEDGER_DB_PASSWORD}@127.0.0.1:5999/ledger\ntimezone: UTC\ncurrency: USD\n',
    );
    for (const args of [['status'], ['migrate'], ['sync', '--as-of', '2026-01-01']]) {
      const run = await runLedgerline(args, { cwd: dir, env: { LEDGER_DB_PASSWORD: 'hunter2-secret' } });
      expect(run.code, args.join(' ')).toBe(3);
      expect(run.stderr).toContain('cannot connect to the PostgreSQL ledger books@127.0.0.1:5999/ledger: ');
      expect(run.stdout + run.stderr).not.toContain('hunter2-secret');
    }
    expect(readdirSync(dir)).toEqual(['ledgerline.yaml']);
  });
});
