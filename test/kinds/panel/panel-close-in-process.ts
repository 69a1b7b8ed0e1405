import { join } from 'node:path';
import type { RunningSandbox } from '../../../sandbox/index.js';
import type { SourceSyncReport } from '../../../src/pipeline/sync/close-context.js';
import { syncPanelClose } from '../../../src/kinds/panel/panel-close.js';
import type { PanelSourceConfig } from '../../../src/kinds/panel/panel-config.js';
import type { Books } from '../../support/books.js';
import { closeInProcess } from '../../support/in-process-close.js';

/**
 * One panel close of `day` in process, as the sync takes it: a client of its own (the key redacted from what it
 * logs), each raw reply landed, the books' sync port, the run id `run:DAY` (`run:DAY:dry` for a dry run).
 */
export async function closePanelDay(
  books: Books,
  source: PanelSourceConfig,
  { day, ordersFiles, dryRun = false, now }: { day: string; ordersFiles: string[]; dryRun?: boolean; now: Date },
): Promise<SourceSyncReport> {
  const runId = `run:${day}${dryRun ? ':dry' : ''}`;
  return closeInProcess(books, source, { day, runId, dryRun, now }, ({ context, http, clock, onRawReply }) =>
    syncPanelClose(
      context,
      source,
      { http, clock, onRawReply },
      { ordersFiles, onOrdersFileProblems: () => undefined, defaultCurrency: 'USD' },
    ),
  );
}

/** The panel source `smm-panel` as a test's configuration names it: the sandbox's panel, its proxy's spool in `dir`. */
export function sandboxPanelSource(sandbox: RunningSandbox, dir: string): PanelSourceConfig {
  return {
    id: 'smm-panel',
    kind: 'panel',
    url: sandbox.panelUrl,
    apiKey: sandbox.keys.panel,
    proxySpool: join(dir, 'proxy-spool.jsonl'),
  } as PanelSourceConfig;
}
