import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { askConsole, TOKEN, useServedConsole } from '../support/console-ledger.js';

/**
 * Odd input a person can type is refused with exit 2 or a page saying what to do, never a bug report
 * (exit 70) or a stalled console: far windows, hosts that resolve to nothing, oversized forms and notes.
 */
describe('odd input to report, serve and panel-proxy', () => {
  const world = useServedConsole('ledgerline-odd-input-');

  it('refuses a report window past the 100-year limit with exit 2 naming it, at once', async () => {
    const started = Date.now();
    const far = await runLedgerline(['report', '--to', '9999-12-31', '--out', 'far.html'], { cwd: world.dir });
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('after 9999-12-30, the last day a window may end on');
    const long = await runLedgerline(['report', '--from', '2026-03-01', '--to', '2126-03-05', '--out', 'long.html'], {
      cwd: world.dir,
    });
    expect(long.code).toBe(2);
    expect(long.stderr).toContain(
      'the window 2026-03-01 to 2126-03-05 spans 36529 days, more than 100 years (36525 days)',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([['serve'], ['panel-proxy', '--source', 'smm-panel']])(
    '%s --host naming no address exits 2 naming the host',
    async (...command) => {
      const run = await runLedgerline([...command, '--port', '0', '--host', 'no-such-host.invalid'], {
        cwd: world.dir,
        env: { LEDGERLINE_CONSOLE_TOKEN: TOKEN, PANEL_KEY: 'panel-key' },
        timeoutMs: 20_000,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--host no-such-host.invalid names no address this machine can resolve');
    },
  );

  it('refuses a console window over 10 years with a page that says why, and shows 10 years', async () => {
    const far = await askConsole(`http://${world.host}/?from=2026-03-01&to=2326-03-01`, { host: world.host });
    expect(far.status).toBe(400);
    expect(far.body).toContain('more than 10 years (3653 days)');
    expect(far.body).toContain('ledgerline report --from');
    const started = Date.now();
    const decade = await askConsole(`http://${world.host}/?from=2026-03-01&to=2036-02-29`, { host: world.host });
    expect(decade.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('answers a 2 MB form with 413 and a note over 500 characters with a refusal, and says the limit on the page', async () => {
    const page = await askConsole(`http://${world.host}/?from=2026-03-01&to=2026-03-03`, { host: world.host });
    expect(page.body).toContain('<small>(up to 500 characters)</small> <input type="text" name="note" maxlength="500"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const form = (note: string) =>
      new URLSearchParams({ csrf, item: 'f2', action: 'ack', note, from: '2026-03-01', to: '2026-03-03' }).toString();
    const huge = await askConsole(`http://${world.host}/acknowledge`, {
      host: world.host,
      method: 'POST',
      origin: `http://${world.host}`,
      body: form('x'.repeat(2 * 1024 * 1024)),
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toContain('larger than 16 KB');
    const long = await askConsole(`http://${world.host}/acknowledge`, {
      host: world.host,
      method: 'POST',
      origin: `http://${world.host}`,
      body: form('y'.repeat(501)),
    });
    expect(long.status).toBe(400);
    expect(long.body).toContain('the note has 501 characters; a note holds up to 500');
    const reconcile = await runLedgerline(['reconcile', '--as-of', '2026-03-03', '--json'], { cwd: world.dir });
    expect(JSON.parse(reconcile.stdout).items.find((item: { id: string }) => item.id === 'f2').acknowledged).toBeNull();
  });
});
