import type { SourceConfig, SourceConfigKind } from '../../config/index.js';
import { panelSourceKind } from './sources/panel.js';
import { payelancerSourceKind } from './sources/payelancer.js';
import type { SourceReportFacts } from '../reports/index.js';
import type { SourceKind } from './source-kind.js';

/** The one registry of source kinds: the kinds ledgerline ships, one line each, then any a plug-in registers. */
const registered = new Map<string, SourceKind>();
registerSourceKind(payelancerSourceKind);
registerSourceKind(panelSourceKind);

/** Adds a kind of source and returns its undo (the files of a test worker share one registry); a taken name is refused. */
export function registerSourceKind(kind: SourceKind): () => void {
  if (registered.has(kind.kind)) throw new Error(`a source kind named "${kind.kind}" is already registered`);
  registered.set(kind.kind, kind);
  return () => {
    if (registered.get(kind.kind) === kind) registered.delete(kind.kind);
  };
}

/** The registered kinds, as each use case reaches the part it needs of a configured source's kind. */
export interface SourceKinds {
  readonly all: readonly SourceKind[];
  readonly config: readonly SourceConfigKind[];
  of(source: SourceConfig): SourceKind;
  readsOrdersFiles(source: SourceConfig): boolean;
  reportFacts(source: SourceConfig): SourceReportFacts;
}

export function sourceKinds(): SourceKinds {
  const all = [...registered.values()];
  const of = (source: SourceConfig): SourceKind => {
    const kind = registered.get(source.kind);
    // The configuration admits only registered kinds, so a source of another kind is a bug.
    if (kind === undefined) throw new Error(`source ${source.id} names kind "${source.kind}", which is not registered`);
    return kind;
  };
  return { all, config: all, of, readsOrdersFiles: (source) => of(source).ordersFilesOf !== undefined, reportFacts: (source) => of(source).reportFacts(source) };
}

/** What a sync needs of the registered kinds: each source's closer, and which kinds read orders files. */
export function syncKindsOf(kinds: SourceKinds): { closers: SourceKinds['of']; readsOrdersFiles: SourceKinds['readsOrdersFiles'] } {
  return { closers: kinds.of, readsOrdersFiles: kinds.readsOrdersFiles };
}
