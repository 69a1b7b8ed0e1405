import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { askConsole, seededConsoleLedger, TOKEN } from '../support/console-ledger.js';
import { serveInProcess, type ServingConsole } from '../support/serve-in-process.js';

/** An address of this machine other than loopback: the console reached "from the office network". */
const otherAddress = Object.values(networkInterfaces())
  .flatMap((addresses) => addresses ?? [])
  .find((address) => address.family === 'IPv4' && !address.internal)?.address;
if (otherAddress === undefined)
  console.warn('serve --host 0.0.0.0 test skipped: this machine has no IPv4 address but loopback');

describe('ledgerline serve --host 0.0.0.0 --allow-host on the network', () => {
  let dir: string;
  let serve: ServingConsole;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-serve-net-'));
    await seededConsoleLedger(dir);
    if (otherAddress !== undefined)
      serve = await serveInProcess(['--port', '0', '--host', '0.0.0.0', '--allow-host', 'Books.Office.Example'], {
        cwd: dir,
        env: { LEDGERLINE_CONSOLE_TOKEN: TOKEN },
      });
  });

  afterAll(async () => {
    await serve?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(otherAddress === undefined)(
    'answers at another address of the machine and at an allowed name, with the token, and refuses any other Host with 421',
    async () => {
      const at = `${otherAddress}:${serve.port}`;
      const base = `http://${at}`;
      const refused = await askConsole(`${base}/`, { host: at });
      expect(refused.status).toBe(401);
      // A way in, not a link back to the page that refused.
      expect(refused.body).toContain(
        `open http://${at}/?token= followed by the token serve was started with (LEDGERLINE_CONSOLE_TOKEN), as ledgerline serve printed`,
      );
      expect(refused.body).not.toContain('<a href="/">');

      const first = await askConsole(`${base}/?from=2026-03-01&to=2026-03-03&token=${TOKEN}`, { host: at });
      expect(first.status).toBe(303);
      // The token leaves the address after the first visit, and the cookie is a session id, not the token.
      expect(first.headers.location).toBe('/?from=2026-03-01&to=2026-03-03');
      const cookie = String(first.headers['set-cookie']);
      expect(cookie).toMatch(/^ledgerline_console=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\/$/);
      expect(cookie).not.toContain(TOKEN);
      const session = cookie.split(';')[0]!;

      const page = await askConsole(`${base}/?from=2026-03-01&to=2026-03-03`, { host: at, cookie: session });
      expect(page.status).toBe(200);
      expect(page.body).toContain('data-item="f1"');
      const byName = await askConsole(`${base}/?from=2026-03-01&to=2026-03-03`, {
        host: `books.office.example:${serve.port}`,
        cookie: session,
      });
      expect(byName.status).toBe(200);

      const rebound = await askConsole(`${base}/`, { host: `evil.example:${serve.port}`, cookie: session });
      expect(rebound.status).toBe(421);
      expect((await askConsole(`${base}/`, { host: at, cookie: `ledgerline_console=${TOKEN}` })).status).toBe(401);
    },
  );

  it.skipIf(otherAddress === undefined)(
    'carries the acknowledgement note in the POST body, never in the address it sends the browser back to',
    async () => {
      const at = `${otherAddress}:${serve.port}`;
      const base = `http://${at}`;
      const session = String((await askConsole(`${base}/?token=${TOKEN}`, { host: at })).headers['set-cookie']).split(
        ';',
      )[0]!;
      const page = await askConsole(`${base}/?from=2026-03-01&to=2026-03-03`, { host: at, cookie: session });
      const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const note = 'matched bank transfer 4471';
      const acked = await askConsole(`${base}/acknowledge`, {
        host: at,
        cookie: session,
        method: 'POST',
        origin: base,
        body: new URLSearchParams({
          csrf,
          item: 'f1',
          action: 'ack',
          note,
          from: '2026-03-01',
          to: '2026-03-03',
        }).toString(),
      });
      expect(acked.status).toBe(303);
      expect(acked.headers.location).toBe('/?from=2026-03-01&to=2026-03-03&done=ack%3Af1#f1');
      const back = await askConsole(`${base}${acked.headers.location}`, { host: at, cookie: session });
      expect(back.body).toContain('Acknowledged f1');
      expect(back.body).toContain(`<span class="note">${note}</span>`);
      const reconcile = await runLedgerline(['reconcile', '--as-of', '2026-03-03', '--json'], { cwd: dir });
      expect(
        JSON.parse(reconcile.stdout).items.find((item: { id: string }) => item.id === 'f1').acknowledged.note,
      ).toBe(note);
    },
  );
});
