import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { files, sandboxFiles, type SourceFile } from './source-tree.js';

/**
 * Issue 39, ports owned by the use cases: each use case declares the narrow port it needs, the store implements
 * it, and only the composition root hands one to the other. So the store's own type, `LedgerStore`, is named by
 * the store, the ledger (the journal keeps its store) and the composition root alone.
 */
const MAY_NAME_THE_STORE = [/^store\//, /^ledger\//, /^pipeline\/books\//];

/** The files that still name it today, while their use cases move behind their ports: the list only shrinks. */
const NAMES_LEDGER_STORE: readonly string[] = [
  'cli/commands/demo.ts',
  'cli/load.ts',
  'cli/queued-schedule.ts',
  'cli/recorded-post.ts',
  'cli/run-recorded.ts',
  'pipeline/backfill/correct-day.ts',
  'pipeline/backfill/replay-panel.ts',
  'pipeline/backfill/replay-payelancer.ts',
  'pipeline/backfill/replay-source.ts',
  'pipeline/backfill/replayed-states.ts',
  'pipeline/landing/raw-landing.ts',
  'pipeline/landing/stored-webhooks.ts',
  'pipeline/landing/webhook-inbox.ts',
  'pipeline/nightly/local-night.ts',
  'pipeline/nightly/nightly-run.ts',
  'pipeline/nightly/queued-night.ts',
  'pipeline/operations/doctor.ts',
  'pipeline/operations/move-ledger.ts',
  'pipeline/operations/organisation-gate.ts',
  'pipeline/panel-proxy/panel-proxy-ledger.ts',
  'pipeline/panel-proxy/proxy-spool.ts',
  'pipeline/panel-proxy/unanswered-adds.ts',
  'pipeline/post/post-plan.ts',
  'pipeline/post/post.ts',
  'pipeline/reports/balances-report.ts',
  'pipeline/reports/console/console-server.ts',
  'pipeline/reports/destination-tie-out.ts',
  'pipeline/reports/finance-report/finance-report-data.ts',
  'pipeline/reports/finance-report/opening-balances.ts',
  'pipeline/reports/ledger-export.ts',
  'pipeline/reports/reconcile-report.ts',
  'pipeline/reports/status-report.ts',
  'pipeline/runs/last-sync.ts',
  'pipeline/runs/recorded-run.ts',
  'pipeline/runs/scheduled-days.ts',
  'pipeline/runs/sync-money.ts',
  'pipeline/runs/sync-report.ts',
  'pipeline/sync/book-close.ts',
  'pipeline/sync/close-context.ts',
  'pipeline/sync/panel-close-orders.ts',
  'pipeline/sync/panel-order-chunk.ts',
  'pipeline/sync/panel-source-state.ts',
  'pipeline/sync/payelancer-close.ts',
  'pipeline/sync/queued-sync.ts',
];

/** Whether the code names `LedgerStore` as an identifier (an import, a type, `LedgerStore.open`): a comment or a string does not count. */
function namesLedgerStore(file: SourceFile): boolean {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
  const visit = (node: ts.Node): boolean => (ts.isIdentifier(node) && node.text === 'LedgerStore') || (ts.forEachChild(node, visit) ?? false);
  return visit(source);
}

/** Every file that names the store without being allowed to or listed, and every listed file that no longer does. */
function ledgerStoreNamedOutsideTheStore(tree: readonly SourceFile[], listed: readonly string[]): string[] {
  const naming = tree.filter((file) => !MAY_NAME_THE_STORE.some((allowed) => allowed.test(file.path)) && namesLedgerStore(file)).map((file) => file.path);
  return [
    ...naming.filter((path) => !listed.includes(path)).map((path) => `${path} names LedgerStore: take the use case's port instead`),
    ...listed.filter((path) => !naming.includes(path)).map((path) => `${path} no longer names LedgerStore: remove it from NAMES_LEDGER_STORE`),
  ];
}

describe('only the store, the ledger and the composition root name LedgerStore', () => {
  it('no other file in src/ or the sandbox names it, but for the listed ones', () => {
    const sandbox = sandboxFiles.map((file) => ({ ...file, path: `../sandbox/${file.path}` }));
    expect(files.filter(namesLedgerStore).length).toBeGreaterThan(NAMES_LEDGER_STORE.length);
    expect(ledgerStoreNamedOutsideTheStore([...files, ...sandbox], NAMES_LEDGER_STORE)).toEqual([]);
  });

  it('the rule catches a planted use of the type and of the value, leaves comments, strings and the allowed folders alone, and asks for a stale line to go', () => {
    const planted: SourceFile[] = [
      { path: 'pipeline/sync/planted-type.ts', area: 'pipeline', text: "import type { LedgerStore } from '../../store/index.js';\nexport function close(store: LedgerStore) {}", imports: [] },
      { path: 'cli/planted-open.ts', area: 'cli', text: 'const store = await ledger.LedgerStore.open(path);', imports: [] },
      { path: 'pipeline/post/planted-comment.ts', area: 'pipeline', text: "/* takes a LedgerStore */\nconst note = 'LedgerStore';\nconst t = `LedgerStore`;", imports: [] },
      { path: 'store/ledger-store.ts', area: 'store', text: 'export class LedgerStore {}', imports: [] },
      { path: 'ledger/ledger.ts', area: 'ledger', text: 'constructor(private readonly store: LedgerStore) {}', imports: [] },
      { path: 'pipeline/books/books.ts', area: 'pipeline', text: 'constructor(readonly legacyStore: LedgerStore) {}', imports: [] },
      { path: 'pipeline/runs/listed.ts', area: 'pipeline', text: 'function f(store: LedgerStore) {}', imports: [] },
    ];
    expect(ledgerStoreNamedOutsideTheStore(planted, ['pipeline/runs/listed.ts', 'pipeline/reports/moved.ts'])).toEqual([
      'pipeline/sync/planted-type.ts names LedgerStore: take the use case\'s port instead',
      'cli/planted-open.ts names LedgerStore: take the use case\'s port instead',
      'pipeline/reports/moved.ts no longer names LedgerStore: remove it from NAMES_LEDGER_STORE',
    ]);
  });
});
