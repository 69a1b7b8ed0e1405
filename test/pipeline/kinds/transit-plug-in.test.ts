import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerSourceKind } from '../../../src/pipeline/kinds/index.js';
import type { CounterApiFake } from '../../support/plug-ins/counter-api-fake.js';
import { startTipsWorkspace, type TipsWorkspace } from '../../support/plug-ins/tips-workspace.js';
import { tipjarSourceKind } from '../../support/plug-ins/tipjar-source.js';
import { useTempDir } from '../../support/temp-dir.js';

/**
 * Issue 69 items 7/8: a plug-in kind's payouts are full citizens of the month. `kind: tipjar` (registered from
 * test/support in one line) books a fall of its balance as a payout its vocabulary marks `transit: payout`. By hand:
 * the jar reads 100.00 at the close of 10-01 (100.00 of tips) and 0.00 at the close of 10-02 (a payout of 100.00,
 * Dr tipjar_clearing / Cr tipjar_receivable). The night of 10-02 reports that payout, and `transit` follows it.
 */
const KEY = 'tipjar-key-51c2';
let unregister: (() => void) | undefined;
beforeAll(() => {
  unregister = registerSourceKind(tipjarSourceKind);
});
afterAll(() => unregister?.());
const tempDir = useTempDir();
let jar: CounterApiFake;
let dir: string;
let ledgerline: TipsWorkspace['ledgerline'];

beforeEach(async () => {
  dir = tempDir();
  ({ fake: jar, ledgerline } = await startTipsWorkspace(dir, 'tipjar', KEY));
});
afterEach(() => jar.close());

interface NightJson {
  sources: { sourceId: string; payouts: { date: string; method: string; currency: string; amount: string }[] }[];
}

describe("a plug-in kind's payouts", () => {
  it("reach the night's report and the transit through the registry", async () => {
    jar.setTotal('100.00', '2026-10-01');
    expect((await ledgerline('sync', '--as-of', '2026-10-01')).code).toBe(0);
    jar.setTotal('0.00', '2026-10-02');
    const night = await ledgerline('sync', '--as-of', '2026-10-02', '--json');
    expect(night.code, night.stderr).toBe(0);
    expect((JSON.parse(night.stdout) as NightJson).sources.map((source) => [source.sourceId, source.payouts])).toEqual([
      ['tips', [{ date: '2026-10-02', method: 'tipjar_payout', currency: 'USD', amount: '100.00' }]],
    ]);
    const transit = await ledgerline('transit', '--as-of', '2026-10-02', '--json');
    expect(
      (
        JSON.parse(transit.stdout) as {
          items: { id: string; kind: string; source: string; amount: string; state: string }[];
        }
      ).items.map((item) => [item.id, item.kind, item.source, item.amount, item.state]),
      transit.stderr,
    ).toEqual([['tipjar:tips:2026-10-02', 'payout', 'tips', '100.00', 'cleared']]);
  });
});
