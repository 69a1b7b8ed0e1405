import { expect } from 'vitest';
import type { RunningSandbox } from '../../../sandbox/sandbox-server.js';
import { setSandboxDay, type Workspace } from '../../scenarios/scenario-harness.js';

/** One night of the witnessed flow: the sandbox moved to `day`, the day synced (exit 0, or 1 for what needs a look). */
export async function syncedNight(sandbox: RunningSandbox, workspace: Workspace, day: string): Promise<void> {
  await setSandboxDay(sandbox, day);
  const synced = await workspace.syncDay(day);
  expect([0, 1], synced.stderr).toContain(synced.code);
}

/** The adjusting entry a person books on 2026-04-02 in the flow, which a rollback takes away: 7.00. */
export const HAND_BOOKED_ADJUSTMENT = [
  'adjust',
  '--date',
  '2026-04-02',
  '--debit',
  'smm_services_expense=7.00',
  '--credit',
  'suspense=7.00',
  '--reason',
  'panel charge booked by hand',
];
