import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { askConsole, useServedConsole } from '../support/console-ledger.js';

/** The readings a finance person stopped at: titles and next steps, information apart, times in the books' zone. */
describe('readings that need no explanation', () => {
  const world = useServedConsole('ledgerline-readings-', async (dir) => {
    const config = join(dir, 'ledgerline.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^timezone: .*$/m, 'timezone: America/New_York'));
    const acked = await runLedgerline(['reconcile', 'ack', 'f1', '--note', 'matched 4471', '--as-of', '2026-03-03'], {
      cwd: world.dir,
    });
    expect(acked.code, acked.stderr).toBe(0);
  });

  it('the console titles each finding, says the next step of one that waits, offers no Acknowledge on information, and writes times in the zone', async () => {
    const page = (await askConsole(`http://${world.host}/?from=2026-03-01&to=2026-03-03`, { host: world.host })).body;
    const card = (id: string) =>
      /<li class="[a-z-]+" data-item="[^"]+">.*?<\/li>/gs.exec(page.slice(page.indexOf(`data-item="${id}"`) - 40))![0];
    expect(card('f2')).toContain('<strong>Panel balance rose: a top-up to match with the bank</strong>');
    expect(card('f2')).toContain('<p class="next">Next: Find the top-up in the bank statement');
    expect(card('f2')).toContain('value="ack">Acknowledge</button>');
    expect(card('i3')).toContain('<strong>Refund computed from a partly delivered order</strong>');
    expect(card('i3')).not.toContain('Acknowledge</button>');
    expect(card('f1')).toMatch(
      /Acknowledged by <strong>.+<\/strong> at <time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">\d{4}-\d\d-\d\d \d\d:\d\d America\/New_York \(-0[45]:00\)<\/time>: <span class="note">matched 4471<\/span>/,
    );
  });

  it('balances names its gross and net totals, and its net total is the trial balance the console shows', async () => {
    const balances = await runLedgerline(['balances', '--as-of', '2026-03-03'], { cwd: world.dir });
    expect(balances.stdout).toMatch(/^  total of every line +3\.10 +3\.10$/m);
    expect(balances.stdout).toMatch(/^  total net per account +2\.30 +2\.30   \(the report's trial balance\)$/m);
    const page = (await askConsole(`http://${world.host}/?from=2026-03-01&to=2026-03-03`, { host: world.host })).body;
    expect(page).toMatch(
      /<tfoot><tr class="total"><th scope="row">Total, net per account<\/th><td class="num">2\.30<\/td><td class="num">2\.30<\/td>/,
    );
  });

  it('reconcile prints the title and the next step; status counts information apart, and an acknowledged item not as open', async () => {
    const reconcile = await runLedgerline(['reconcile', '--as-of', '2026-03-03'], { cwd: world.dir });
    expect(reconcile.stdout).toContain(
      '      Panel balance rose: a top-up to match with the bank. Next: Find the top-up in the bank statement',
    );
    expect(reconcile.stdout).toContain('      Refund computed from a partly delivered order\n      id i3');
    // Without --as-of, dated by the books' day (today in the books' zone), the day transit dates itself by: one ledger, one day.
    const latest = JSON.parse((await runLedgerline(['reconcile', '--json'], { cwd: world.dir })).stdout) as {
      asOf: string;
      items: { id: string }[];
    };
    const transit = JSON.parse((await runLedgerline(['transit', '--json'], { cwd: world.dir })).stdout) as {
      asOf: string;
    };
    expect(latest.asOf).toBe(transit.asOf);
    expect(latest.asOf).toBe(new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' }));
    expect(latest.items.map((item) => item.id).sort()).toEqual(['f1', 'f2', 'i3']);
    const status = await runLedgerline(['status'], { cwd: world.dir });
    // f1 is acknowledged: open is what reconcile counts open, one item (f2), not every unresolved finding.
    expect(status.stdout).toContain(
      'open discrepancies: 1 (ledgerline reconcile lists them)\n  balance_rise: 1\nfor the record, no one needs to act: computed_refund 1\n',
    );
  });
});
