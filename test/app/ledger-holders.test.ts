import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  holdLedger,
  holdLedgerToWrite,
  LEDGER_MOVE_HOLDER,
  ledgerHolders,
  panelProxyHolder,
  panelProxyMayRun,
} from '../../src/app/ledger-holders.js';
import { RunInProgressError } from '../../src/errors.js';
import { childOfLateReaper, killToZombie, procStat } from '../support/late-reaper.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-holders-');

/** Where the holders of a SQLite ledger register: `<ledger>.holders/`, beside the file. */
const holdersFolder = (ledger: string) => `${ledger}.holders`;

describe('the holders of a SQLite ledger', () => {
  it('a holder that crashed (its pid gone on this host) does not block: it is dropped and its file removed; a live one and one on another host are kept', () => {
    const ledger = join(tempDir(), 'ledger.sqlite');
    mkdirSync(holdersFolder(ledger));
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const write = (name: string, pid: number, host: string) =>
      writeFileSync(
        join(holdersFolder(ledger), name),
        JSON.stringify({ pid, host, command: `cmd ${name}`, startedAt: '2026-11-25T21:00:00.000Z' }),
      );
    write('crashed.json', gone, hostname());
    write('alive.json', process.pid, hostname());
    write('elsewhere.json', gone, 'another-host');
    writeFileSync(join(holdersFolder(ledger), 'torn.json'), '{"pid": 1');
    expect(
      ledgerHolders(ledger)
        .map((holder) => holder.command)
        .sort(),
    ).toEqual(['cmd alive.json', 'cmd elsewhere.json']);
    expect(existsSync(join(holdersFolder(ledger), 'crashed.json'))).toBe(false);
    expect(existsSync(join(holdersFolder(ledger), 'torn.json'))).toBe(false);
  });

  it('a holder killed but not yet reaped (a zombie) or whose pid now names a later process holds nothing; one that started when it recorded is kept', async () => {
    const ledger = join(tempDir(), 'ledger.sqlite');
    mkdirSync(holdersFolder(ledger));
    const { pid, parent } = await childOfLateReaper();
    try {
      const started = procStat(pid).startTicks;
      const write = (name: string, pidStarted: string | undefined) =>
        writeFileSync(
          join(holdersFolder(ledger), name),
          JSON.stringify({
            pid,
            pidStarted,
            host: hostname(),
            command: `cmd ${name}`,
            startedAt: '2026-11-25T21:00:00.000Z',
          }),
        );
      write('same.json', started);
      write('reused.json', String(BigInt(started) + 1n));
      expect(ledgerHolders(ledger).map((holder) => holder.command)).toEqual(['cmd same.json']);
      await killToZombie(pid);
      expect(procStat(pid).state).toBe('Z');
      expect(ledgerHolders(ledger)).toEqual([]);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('a panel proxy may answer a held add only while one for that source holds the ledger; on PostgreSQL it cannot be told, so it may', () => {
    const ledger = join(tempDir(), 'ledger.sqlite');
    mkdirSync(holdersFolder(ledger));
    const holder = (name: string, pid: number, command: string) =>
      writeFileSync(
        join(holdersFolder(ledger), name),
        JSON.stringify({ pid, host: hostname(), command, startedAt: '2026-11-25T21:00:00.000Z' }),
      );
    expect(panelProxyMayRun(ledger, 'smm-panel')).toBe(false);
    holder(
      'killed.json',
      spawnSync(process.execPath, ['-e', '']).pid,
      `${panelProxyHolder('smm-panel')} on http://127.0.0.1:8789`,
    );
    holder('other.json', process.pid, `${panelProxyHolder('smm-panel-2')} on http://127.0.0.1:8790`);
    expect(panelProxyMayRun(ledger, 'smm-panel')).toBe(false);
    holder('alive.json', process.pid, `${panelProxyHolder('smm-panel')} on http://127.0.0.1:8791`);
    expect([panelProxyMayRun(ledger, 'smm-panel'), panelProxyMayRun(ledger, 'smm')]).toEqual([true, false]);
    expect(panelProxyMayRun('postgres://ledger@127.0.0.1/books', 'smm-panel')).toBe(true);
  });

  it('a holder starting while migrate --to moves the file is refused (exit 75) and leaves no registration; the move sees the holders that registered first', () => {
    const ledger = join(tempDir(), 'ledger.sqlite');
    const context = { now: () => new Date('2026-11-26T09:00:00.000Z') };
    const proxy = holdLedger(context, ledger, panelProxyHolder('smm-panel'));
    const move = holdLedger(context, ledger, `${LEDGER_MOVE_HOLDER} books@127.0.0.1:5432/ledger`);
    expect(
      ledgerHolders(ledger)
        .filter((holder) => holder.file !== move.file)
        .map((holder) => holder.command),
    ).toEqual(['panel-proxy --source smm-panel']);
    proxy.release();
    let refused: unknown;
    try {
      holdLedger(context, ledger, 'sync');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RunInProgressError);
    expect((refused as RunInProgressError).exitCode).toBe(75);
    expect((refused as Error).message).toBe(
      `${ledger} is being moved to PostgreSQL (migrate --to books@127.0.0.1:5432/ledger, pid ${process.pid} on ${hostname()}, since 2026-11-26T09:00:00.000Z): ` +
        'sync was not started and nothing was done; once the move has finished, set "ledger:" to the URL it printed and start it again',
    );
    expect(ledgerHolders(ledger).map((holder) => holder.file)).toEqual([move.file]);
    move.release();
    const sync = holdLedger(context, ledger, 'sync');
    expect(ledgerHolders(ledger).map((holder) => holder.command)).toEqual(['sync']);
    sync.release();
    expect(ledgerHolders(ledger)).toEqual([]);
  });

  it('a command writing the books registers once per process, and nothing beside a ledger whose folder is not there', () => {
    const ledger = join(tempDir(), 'ledger.sqlite');
    const context = { now: () => new Date('2026-11-26T09:00:00.000Z') };
    const sync = holdLedger(context, ledger, 'sync');
    // A sync booking holds the ledger already: its books opened for writing add no second registration.
    const again = holdLedgerToWrite(context, ledger, 'sync');
    expect(again.file).toBeUndefined();
    sync.release();
    const adjust = holdLedgerToWrite(context, ledger, 'adjust');
    expect(ledgerHolders(ledger).map((holder) => [holder.command, holder.pid])).toEqual([['adjust', process.pid]]);
    adjust.release();
    expect(ledgerHolders(ledger)).toEqual([]);
    const missing = join(tempDir(), 'typo', 'ledger.sqlite');
    expect(holdLedgerToWrite(context, missing, 'adjust').file).toBeUndefined();
    expect(existsSync(join(missing, '..'))).toBe(false);
  });
});
