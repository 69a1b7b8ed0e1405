/** What `status`, `metrics`, the fleet report and the console read of the books: the facts, reconcile's open items, the connections. */
export { statusFacts, type StatusFacts, type StatusRead, type UnconfiguredTokens } from './status-facts.js';
export { connectionAdvice, tokenHealthChecks } from './connections-needing-action.js';
export { closeBlockerReads } from './close-blocker-reads.js';
export { syncStepWithSilence, withSilence } from './silent-source-alerts.js';
export { reconcileListing, tieOutWithDestination } from './reconcile-listing.js';
export { renderFleet, renderStatus, silentLines } from './status-text.js';
export { prometheusText, type EntityFigures } from './prometheus-metrics.js';
