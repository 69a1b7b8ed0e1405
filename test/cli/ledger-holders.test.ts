import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdersFolder, ledgerHolders, panelProxyHolder, panelProxyMayRun } from '../../src/cli/ledger-holders.js';
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

  it('a panel proxy may answer a held add only while one for that source holds the ledger; on PostgreSQL it cannot be told, so it may', () => {
    const ledger = join(tempDir(), 'ledger.sqlite');
    mkdirSync(holdersFolder(ledger));
    const holder = (name: string, pid: number, command: string) =>
      writeFileSync(join(holdersFolder(ledger), name), JSON.stringify({ pid, host: hostname(), command, startedAt: '2026-11-25T21:00:00.000Z' }));
    expect(panelProxyMayRun(ledger, 'smm-panel')).toBe(false);
    holder('killed.json', spawnSync(process.execPath, ['-e', '']).pid, `${panelProxyHolder('smm-panel')} on http://127.0.0.1:8789`);
    holder('other.json', process.pid, `${panelProxyHolder('smm-panel-2')} on http://127.0.0.1:8790`);
    expect(panelProxyMayRun(ledger, 'smm-panel')).toBe(false);
    holder('alive.json', process.pid, `${panelProxyHolder('smm-panel')} on http://127.0.0.1:8791`);
    expect([panelProxyMayRun(ledger, 'smm-panel'), panelProxyMayRun(ledger, 'smm')]).toEqual([true, false]);
    expect(panelProxyMayRun('postgres://ledger@127.0.0.1/books', 'smm-panel')).toBe(true);
  });
});
