import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { LedgerSealedError } from '../../src/errors.js';
import { startXeroFake } from '../../sandbox/xero/fake.js';
import { spendEntry } from '../pipeline/post-fixtures.js';
import { refuseBugReport, runLedgerline } from '../support/cli.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { useTempDir } from '../support/temp-dir.js';
import { answerConsent, connectWorkspace, deliverCallback, startCliInProcess } from './connect-harness.js';
import { SECRETS, bookEntries } from './post-cli-harness.js';
import { openBooks } from '../support/books.js';

/**
 * `migrate --to` moves a SQLite ledger that long-running commands may hold open: it refuses while one runs,
 * naming each; the move carries the token store, so the connected organisation stays connected; and the sealed
 * file refuses a write from a store opened before the move.
 */

const { freshDatabase } = usePostgresServer();
const tempDir = useTempDir('ledgerline-migrate-holders-');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const ENV = {
  ...SECRETS,
  PANEL_KEY: 'panel-key-value-1234',
  LEDGERLINE_WEBHOOK_SECRET: 'webhook-secret-value-0123456789',
};
const HOLDERS_CONFIG =
  'sources:\n  - id: smm-panel\n    kind: panel\n    url: http://127.0.0.1:9/api/v2\n    apiKey: ${PANEL_KEY}\nwebhooks:\n  port: 0\n  secret: ${LEDGERLINE_WEBHOOK_SECRET}\n';

/** A long-running command in this process, stopped as Ctrl-C stops it. */
function startLongRunning(
  args: readonly string[],
  cwd: string,
): { listening: Promise<void>; stop: () => Promise<number> } {
  let said = '';
  let announce: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (announce = resolve));
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      said += chunk.toString();
      if (said.includes('Stop with Ctrl-C.')) announce();
      done();
    },
  });
  const stopper = new AbortController();
  const done = runCli(args, {
    env: { PATH: process.env.PATH ?? '', ...ENV },
    cwd,
    stdout: out,
    stderr: out,
    stopSignal: stopper.signal,
  }).then((code) => {
    refuseBugReport(args, { stdout: said });
    return code;
  });
  void done.then(announce, announce);
  return { listening, stop: () => (stopper.abort(), done) };
}

describe('ledgerline migrate --to with long-running commands', () => {
  it(
    'is refused naming the proxy, the receiver and the console; once they stop the move keeps the connection, and books opened before the move cannot write to the sealed file',
    { timeout: 60_000 },
    async () => {
      const xero = await startXeroFake({
        clientId: SECRETS.XERO_CLIENT_ID,
        clientSecret: SECRETS.XERO_CLIENT_SECRET,
        customConnection: false,
      });
      closers.push(xero.close);
      const dir = tempDir();
      const config = connectWorkspace(dir, { xero }, HOLDERS_CONFIG);
      await bookEntries(dir, [spendEntry(1, '2024-02-03')]);
      const connecting = startCliInProcess(['connect', 'xero', '--config', config, '--no-browser', '--port', '0'], dir);
      expect(
        await deliverCallback(await answerConsent(await connecting.url, 'allow', [xero.fake.tenantId], 'tenant')),
      ).toBe(200);
      expect((await connecting.done).code).toBe(0);

      const ledgerFile = join(dir, 'data', 'ledger.sqlite');
      const openBefore = await openBooks(ledgerFile);
      closers.push(() => openBefore.close());
      const holders = [
        startLongRunning(['panel-proxy', '--source', 'smm-panel', '--port', '0', '--config', config], dir),
        startLongRunning(['webhooks', '--port', '0', '--config', config], dir),
        startLongRunning(['serve', '--port', '0', '--config', config], dir),
      ];
      await Promise.all(holders.map((holder) => holder.listening));
      const url = await freshDatabase();

      const refused = await runLedgerline(['migrate', '--to', url, '--config', config], { cwd: dir, env: ENV });
      expect(refused.code, refused.stderr).toBe(75);
      expect(refused.stderr).toContain(`${ledgerFile} is held open by 3 running processes: `);
      for (const named of [
        'panel-proxy --source smm-panel on http://127.0.0.1:',
        'webhooks on http://127.0.0.1:',
        'serve on http://127.0.0.1:',
      ])
        expect(refused.stderr).toContain(named);
      expect(refused.stderr).toContain('nothing was copied');

      for (const holder of holders) expect(await holder.stop()).toBe(0);
      const moved = await runLedgerline(['migrate', '--to', url, '--config', config], { cwd: dir, env: ENV });
      expect(moved.code, moved.stderr).toBe(0);
      expect(moved.stdout).toContain(
        `moved the token store ${join(dir, 'data', '.ledgerline-tokens.json')} to ${join(dir, '.ledgerline-tokens.json')}`,
      );
      expect(existsSync(join(dir, '.ledgerline-tokens.json'))).toBe(true);

      // The person points the configuration at the PostgreSQL ledger, and nothing else: still connected.
      writeFileSync(
        config,
        readFileSync(config, 'utf8')
          .replace('ledger: ./data/ledger.sqlite', `ledger: ${url}`)
          .replace(HOLDERS_CONFIG, ''),
      );
      const doctor = await runLedgerline(['doctor', '--to', 'xero', '--config', config], { cwd: dir, env: ENV });
      expect(doctor.code, doctor.stdout).toBe(0);
      expect(doctor.stdout).toMatch(/\nauthorization\n {2}✓ xero: Ledgerline Sandbox Ltd; /);

      const late = openBefore.ledger.appendEntry(spendEntry(2, '2024-02-04'), {
        now: new Date('2024-02-05T00:00:00Z'),
      });
      await expect(late).rejects.toBeInstanceOf(LedgerSealedError);
      await expect(late).rejects.toThrow(`the ledger ${ledgerFile} is sealed: it was moved to postgres://`);
    },
  );
});
