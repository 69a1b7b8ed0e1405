import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import type { RunningXeroFake } from '../../sandbox/xero/fake.js';
import { writeConfig } from '../cli/post-cli-harness.js';
import { ledgerLocation } from '../pipeline/post-books.js';
import { openLedgerTables } from './ledger-tables.js';
import { startShippedChartFakes, type FakeClosers } from './shipped-chart-fakes.js';

/** The suspense finding each world holds open: the panel's balance fell by 28.71 that no order explains. */
export const FINDING = 'finding:smm-panel:panel_unexplained_fall:close:2024-02-09';

export interface AdjustingWorld {
  dir: string;
  config: string;
  xero: RunningXeroFake;
  quickbooks: RunningQuickBooksFake;
}

/**
 * Worlds for adjusting entries: a configuration posting to a Xero and a QuickBooks fake of the shipped charts,
 * and a ledger with FINDING open. Each world has fakes of its own (QuickBooks rotates the refresh token, which
 * only the first world's token store would keep); they are closed after the file.
 */
export function useAdjustingWorlds(): (
  dir: string,
  options?: { ledgerUrl?: string | undefined; extra?: string },
) => Promise<AdjustingWorld> {
  const running: FakeClosers = [];
  afterAll(async () => {
    for (const close of running.splice(0)) await close();
  });
  return async (dir, options = {}) => {
    const { xero, quickbooks } = await startShippedChartFakes(running);
    const config = writeConfig(dir, { xero, quickbooks }, options.extra ?? '', options.ledgerUrl);
    const tables = await openLedgerTables(ledgerLocation(join(dir, 'data'), options.ledgerUrl));
    try {
      await tables.run(
        tables.db.insertInto('discrepancies').values({
          id: FINDING,
          kind: 'panel_unexplained_fall',
          source_id: 'smm-panel',
          date: '2024-02-09',
          amount_micros: 28_710_000n,
          currency: 'USD',
          ref: 'close',
          message: 'the balance fell by 28.71 USD that no order explains',
          created_at: '2024-02-10T00:00:00.000Z',
          resolved_at: null,
        }),
      );
    } finally {
      await tables.close();
    }
    return { dir, config, xero, quickbooks };
  };
}
