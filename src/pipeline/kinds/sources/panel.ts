import type { z } from 'zod';
import {
  PANEL_KIND,
  asPanelSource,
  panelOrderUpdateFormat,
  panelSourceEntry,
  resolvePanelSource,
} from '../../../sources/index.js';
import { panelReplayer } from '../../backfill/index.js';
import { panelProbe } from '../../operations/index.js';
import { panelCloser } from '../../sync/index.js';
import type { SourceKind } from '../source-kind.js';
import { panelVocabulary } from './panel-vocabulary.js';

/** An SMM panel with the common "API v2": orders prepaid from a balance, polled for their status. */
export const panelSourceKind: SourceKind = {
  ...panelCloser,
  ...panelReplayer,
  ...panelProbe,
  kind: PANEL_KIND,
  entrySchema: panelSourceEntry,
  vocabulary: panelVocabulary,
  // The loader hands resolve only what entrySchema validated, which is the schema's output.
  resolve: (entry, placement) => resolvePanelSource(entry as z.output<typeof panelSourceEntry>, placement),
  webhookFormat: panelOrderUpdateFormat,
  reportFacts: (source) => ({ prepaidOrders: { stuckAfterDays: asPanelSource(source).stuckAfterDays } }),
};
