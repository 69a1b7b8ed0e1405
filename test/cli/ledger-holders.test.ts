import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdersFolder, ledgerHolders } from '../../src/cli/ledger-holders.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-holders-');

describe('the holders of a SQLite ledger', () => {
  it('a holder that crashed (its pid gone on this host) does not block: it is dropped and its file removed; a live one and one on another host are kept', () => {
    const ledger = join(tempDir(), 'ledger.sqlite');
    mkdirSync(holdersFolder(ledger));
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const write = (name: string, pid: number, host: string) =>
      writeFileSync(join(holdersFolder(ledger), name), JSON.stringify({ pid, host, command: `cmd ${name}`, startedAt: '2026-11-25T21:00:00.000Z' }));
    write('crashed.json', gone, hostname());
    write('alive.json', process.pid, hostname());
    write('elsewhere.json', gone, 'another-host');
    writeFileSync(join(holdersFolder(ledger), 'torn.json'), '{"pid": 1');
    expect(ledgerHolders(ledger).map((holder) => holder.command).sort()).toEqual(['cmd alive.json', 'cmd elsewhere.json']);
    expect(existsSync(join(holdersFolder(ledger), 'crashed.json'))).toBe(false);
    expect(existsSync(join(holdersFolder(ledger), 'torn.json'))).toBe(false);
  });
});
