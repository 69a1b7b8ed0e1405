import type { AppProcess } from './app-process.js';
import { holdLedger, type LedgerHold } from './ledger-holders.js';
import { waitForStop } from './wait-for-stop.js';

/**
 * Parks a long-running command until it is asked to stop, registered as a holder of the ledger meanwhile
 * (under `hold` when it registered before starting, renamed `command`).
 */
export async function holdLedgerUntilStop(
  context: Pick<AppProcess, 'now' | 'stopSignal'>,
  ledger: string,
  command: string,
  registered?: LedgerHold,
): Promise<void> {
  const hold = registered ?? holdLedger(context, ledger, command);
  hold.rename(command);
  try {
    await waitForStop(context.stopSignal);
  } finally {
    hold.release();
  }
}
