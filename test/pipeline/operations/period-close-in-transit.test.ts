import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/post-cli-harness.js';
import { useTempDir } from '../../support/temp-dir.js';
import { bookPayouts, type TestPayout } from '../transit-fixtures.js';

/**
 * `close --period` and the money in transit: October's payouts that no bank line settled and nobody accepted block
 * October's close, each named; an accepted one does not, nor one paid in November.
 */
const tempDir = useTempDir('ledgerline-close-in-transit-');
const PAYOUTS: TestPayout[] = [
  { id: 'payelancer:ads-publisher:payout:2026-10-05', date: '2026-10-05', micros: 80_000_000n },
  { id: 'payelancer:ads-publisher:payout:2026-10-28', date: '2026-10-28', micros: 120_000_000n },
  { id: 'payelancer:ads-publisher:payout:2026-11-02', date: '2026-11-02', micros: 95_000_000n },
];

describe('close --period and the payouts in transit', () => {
  it("lists the month's payout nothing settled as a blocker (exit 1), not the accepted one nor November's; once it is accepted the month closes", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ledgerline.yaml'), 'ledger: ./data/ledger.sqlite\ntimezone: UTC\ncurrency: USD\n');
    await bookPayouts(dir, PAYOUTS);
    const cli = (args: string[]) => runCli(args, { cwd: dir });
    expect((await cli(['transit', 'accept', PAYOUTS[0]!.id, '--note', 'on the October statement'])).code).toBe(0);

    const refused = await cli(['close', '--period', '2026-10', '--json']);
    expect(refused.code, refused.stderr).toBe(1);
    const blockers = JSON.parse(refused.stdout).blockers as { kind: string; ref: string; message: string }[];
    expect(blockers.map((blocker) => [blocker.kind, blocker.ref])).toEqual([['in_transit', PAYOUTS[1]!.id]]);
    expect(blockers[0]!.message).toContain(`payout ${PAYOUTS[1]!.id} of 120.00 USD reported 2026-10-28 is late`);
    expect(blockers[0]!.message).toContain(`ledgerline transit accept ${PAYOUTS[1]!.id}`);

    expect(
      (await cli(['transit', 'accept', PAYOUTS[1]!.id, '--note', 'arrived 11-03, statement not imported'])).code,
    ).toBe(0);
    const closed = await cli(['close', '--period', '2026-10', '--json']);
    expect(closed.code, closed.stdout + closed.stderr).toBe(0);
  });
});
