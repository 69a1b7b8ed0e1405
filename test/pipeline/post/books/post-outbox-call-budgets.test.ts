import { describe, expect, it } from 'vitest';
import { postOutbox } from '../../../../src/pipeline/post/books/post-outbox.js';
import { callsUsedOn } from '../../../../src/reads/books/call-budgets.js';
import { useFreshStores } from '../../../store/fresh-stores.js';
import { LEDGER_ENGINES } from '../../../support/ledger-engines.js';
import { useTempDir } from '../../../support/temp-dir.js';

const tempDir = useTempDir();
const { openFresh } = useFreshStores(tempDir);

describe.each(LEDGER_ENGINES)('call budgets on %s', (engine) => {
  it("add each post's calls to its organisation's UTC day, and keep the vendor's last remaining figure over the count", async () => {
    const store = await openFresh(engine);
    const tenant = { destination: 'xero', organisation: 'tenant-a', day: '2026-03-05' };
    const outbox = postOutbox(store, 'xero');
    const add = (organisation: string, day: string, calls: number, vendorRemaining: number | undefined, at: string) =>
      outbox.unit((tx) => tx.recordCalls!(organisation, day, { calls, vendorRemaining }, at));
    await add('tenant-a', '2026-03-05', 4_000, 1_000, '2026-03-05T01:00:00.000Z');
    await add('tenant-a', '2026-03-05', 40, 955, '2026-03-05T02:00:00.000Z');
    // A run that met no remaining-call header leaves the vendor's last word as it was.
    await add('tenant-a', '2026-03-05', 2, undefined, '2026-03-05T03:00:00.000Z');
    await add('tenant-b', '2026-03-05', 7, undefined, '2026-03-05T03:00:00.000Z');
    await add('tenant-a', '2026-03-06', 3, 4_997, '2026-03-06T00:10Z');

    expect(await outbox.callsUsed!('tenant-a', '2026-03-05')).toEqual({ callsUsed: 4_042, vendorRemaining: 955 });
    expect(await outbox.callsUsed!('tenant-a', '2026-03-07')).toBeUndefined();
    expect(await callsUsedOn(store, '2026-03-05')).toEqual([
      { ...tenant, callsUsed: 4_042, vendorRemaining: 955 },
      { ...tenant, organisation: 'tenant-b', callsUsed: 7, vendorRemaining: undefined },
    ]);
  });
});
