// Round trips to PostgreSQL, counted in this process: every pg Client.query (the ledger's pool, pg-boss's)
// is wrapped to count its statement, the rows it sent (the longest bound array) and the wall time it waited.
// Bench-only: the store is not changed to be profiled.
//
//   const trips = countRoundTrips(); …work…; trips.stop(); trips.top(12)
import pg from 'pg';
import { performance } from 'node:perf_hooks';

/** A statement's shape: its text with literals and whitespace folded, cut to `width` characters. */
function shapeOf(text, width = 110) {
  return String(text)
    .replace(/\s+/g, ' ')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b\d+\b/g, 'N')
    .trim()
    .slice(0, width);
}

export function countRoundTrips() {
  const original = pg.Client.prototype.query;
  const byShape = new Map();
  let total = 0;
  pg.Client.prototype.query = function counted(config, values, callback) {
    const text = typeof config === 'string' ? config : config?.text;
    const bound = (typeof config === 'object' && config?.values) || values || [];
    const rows = bound.reduce((most, value) => (Array.isArray(value) && value.length > most ? value.length : most), 0);
    const shape = shapeOf(text ?? '(a submittable)');
    const entry = byShape.get(shape) ?? { calls: 0, rows: 0, ms: 0 };
    byShape.set(shape, entry);
    entry.calls += 1;
    entry.rows += rows;
    total += 1;
    const started = performance.now();
    const result = original.call(this, config, values, callback);
    if (result && typeof result.then === 'function')
      result.then(
        () => (entry.ms += performance.now() - started),
        () => (entry.ms += performance.now() - started),
      );
    return result;
  };
  return {
    get total() {
      return total;
    },
    stop() {
      pg.Client.prototype.query = original;
    },
    /** The `count` statements that waited longest: calls, rows sent in arrays, ms waited, shape. */
    top(count = 12) {
      return [...byShape.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, count)
        .map(
          ([shape, { calls, rows, ms }]) =>
            `${String(calls).padStart(7)} calls ${String(rows).padStart(8)} rows ${String(Math.round(ms)).padStart(7)} ms  ${shape}`,
        );
    },
  };
}
