import { describe, expect, it } from 'vitest';
import { addCallsUsed, callsUsed, callsUsedOn } from '../../src/store/call-budgets.js';
import { useFreshStores } from './fresh-stores.js';
import { LEDGER_ENGINES } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { openFresh } = useFreshStores(tempDir);

describe.each(LEDGER_ENGINES)('call budgets on %s', (engine) => {
  it("add each post's calls to its organisation's UTC day, and keep the vendor's last remaining figure over the count", async () => {
    const store = await openFresh(engine);
    const tenant = { destination: 'xero', organisation: 'tenant-a', day: '2026-03-05' };
    await addCallsUsed(store, { ...tenant, calls: 4_000, vendorRemaining: 1_000 }, '2026-03-05T01:00:00.000Z');
    await addCallsUsed(store, { ...tenant, calls: 40, vendorRemaining: 955 }, '2026-03-05T02:00:00.000Z');
    // A run that met no remaining-call header leaves the vendor's last word as it was.
    await addCallsUsed(store, { ...tenant, calls: 2, vendorRemaining: undefined }, '2026-03-05T03:00:00.000Z');
    await addCallsUsed(
      store,
      { ...tenant, organisation: 'tenant-b', calls: 7, vendorRemaining: undefined },
      '2026-03-05T03:00:00.000Z',
    );
    await addCallsUsed(store, { ...tenant, day: '2026-03-06', calls: 3, vendorRemaining: 4_997 }, '2026-03-06T00:10Z');

    expect(await callsUsed(store, tenant)).toEqual({ ...tenant, callsUsed: 4_042, vendorRemaining: 955 });
    expect(await callsUsed(store, { ...tenant, day: '2026-03-07' })).toBeUndefined();
    expect(await callsUsedOn(store, '2026-03-05')).toEqual([
      { ...tenant, callsUsed: 4_042, vendorRemaining: 955 },
      { ...tenant, organisation: 'tenant-b', callsUsed: 7, vendorRemaining: undefined },
    ]);
  });
});
