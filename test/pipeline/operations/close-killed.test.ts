import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startXeroFake } from '../../../sandbox/xero/fake.js';
import { SECRETS, bookEntries, runCli, writeConfig } from '../../cli/post-cli-harness.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { shippedChartsForFakes, spendEntry } from '../post-fixtures.js';

const tempDir = useTempDir('ledgerline-close-killed-');
const engines = useLedgerEngines();
const charts = shippedChartsForFakes();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/**
 * Issue 84 item 8: a `close` killed (kill -9) after writing its certificate and before its unit committed left
 * certificates/2024-02.json with no close row. The certificate now takes its name only once the close commits; the
 * partial file a killed close leaves is named and removed by the next close, which closes the month.
 */
describe.each(LEDGER_ENGINES)('a close killed before its commit (%s)', { timeout: 60_000 }, (engine) => {
  it('leaves no certificate without its row; the next close removes the partial one, says so, and closes', async () => {
    const dir = tempDir();
    const ledgerUrl = await engines.fresh(engine);
    const xero = await startXeroFake({
      clientId: SECRETS.XERO_CLIENT_ID,
      clientSecret: SECRETS.XERO_CLIENT_SECRET,
      accounts: charts.xero,
    });
    closers.push(xero.close);
    const config = writeConfig(dir, { xero }, '', ledgerUrl);
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
    await bookEntries(dir, [spendEntry(1, '2024-02-10'), spendEntry(2, '2024-03-01')], ledgerUrl);
    expect((await cli(['post', 'xero'])).code).toBe(0);
    xero.fake.setLockDates({ periodLockDate: '2024-02-29' });
    const folder = join(dir, ...(ledgerUrl === undefined ? ['data'] : []), 'certificates');

    // The built CLI in a process of its own, which kills itself at that moment (src/runtime/kill-point.ts).
    const killed = await runCli(['close', '--period', '2024-02', '--config', config], {
      cwd: dir,
      env: { LEDGERLINE_KILL_POINT: 'close:certificate-written' },
      onSpawn: () => {},
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(folder, '2024-02.json')), 'no certificate stands for a close the books do not hold').toBe(
      false,
    );
    const verified = await cli(['verify']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).not.toContain('in the certificates folder, but the ledger records no close');

    const closed = await cli(['close', '--period', '2024-02']);
    expect(closed.code, closed.stderr + closed.stdout).toBe(0);
    expect(closed.stderr).toContain(
      `removed ${join(folder, '2024-02.json.partial')}, left by a close of 2024-02 that did not complete`,
    );
    expect(readdirSync(folder)).toEqual(['2024-02.json']);
    expect((await cli(['verify'])).code).toBe(0);
  });

  it('a partial certificate whose close was recorded (stopped between the commit and the rename) is put in place', async () => {
    const dir = tempDir();
    const ledgerUrl = await engines.fresh(engine);
    const xero = await startXeroFake({
      clientId: SECRETS.XERO_CLIENT_ID,
      clientSecret: SECRETS.XERO_CLIENT_SECRET,
      accounts: charts.xero,
    });
    closers.push(xero.close);
    const config = writeConfig(dir, { xero }, '', ledgerUrl);
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
    await bookEntries(dir, [spendEntry(1, '2024-02-10'), spendEntry(2, '2024-04-01')], ledgerUrl);
    expect((await cli(['post', 'xero'])).code).toBe(0);
    xero.fake.setLockDates({ periodLockDate: '2024-03-31' });
    const folder = join(dir, ...(ledgerUrl === undefined ? ['data'] : []), 'certificates');
    expect((await cli(['close', '--period', '2024-02'])).code).toBe(0);
    renameSync(join(folder, '2024-02.json'), join(folder, '2024-02.json.partial'));
    writeFileSync(join(folder, '2024-01.json.partial'), '{}\n');

    const next = await cli(['close', '--period', '2024-03']);
    expect(next.code, next.stderr + next.stdout).toBe(0);
    expect(next.stderr).toContain(`put ${join(folder, '2024-02.json')} in place: the close of 2024-02 was recorded`);
    expect(next.stderr).toContain(`removed ${join(folder, '2024-01.json.partial')}`);
    expect(readdirSync(folder).sort()).toEqual(['2024-02.json', '2024-03.json']);
    expect((await cli(['verify'])).code).toBe(0);
  });
});
