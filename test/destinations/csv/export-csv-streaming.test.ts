import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exportCsv } from '../../../src/destinations/csv/index.js';
import type { RenderedEntry } from '../../../src/rules/index.js';
import { chart } from './sample-entries.js';

function twoLineEntry(index: number): RenderedEntry {
  const cents = BigInt(100 + (index % 9_900));
  return {
    id: `je:stream:${index}`,
    date: '2026-03-02',
    sourceId: 'smm-panel',
    description: `SMM panel order ${index}`,
    eventIds: [`panel:smm-panel:order:${index}:charge:2026-03-02`],
    lines: [
      { account: 'smm_services_expense', currency: 'USD', cents },
      { account: 'panel_prepaid', currency: 'USD', cents: -cents },
    ],
  };
}

/** Counts bytes and record ends; optionally slow, finishing each write on a later turn of the event loop. */
class CountingSink extends Writable {
  bytes = 0;
  records = 0;
  peakHeap = 0;
  constructor(private readonly slow: boolean) {
    super({ highWaterMark: 16 * 1024 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.bytes += chunk.length;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) this.records += 1;
    if (this.records % 64 === 0) this.peakHeap = Math.max(this.peakHeap, process.memoryUsage().heapUsed);
    if (this.slow) setImmediate(callback);
    else callback();
  }
}

describe('exportCsv streams', () => {
  it('exports 200,000 lines from a generator with little heap growth', async () => {
    const entryCount = 100_000;
    function* entries(): Generator<RenderedEntry> {
      for (let index = 0; index < entryCount; index += 1) yield twoLineEntry(index);
    }
    const out = new CountingSink(false);
    const heapBefore = process.memoryUsage().heapUsed;
    const written = await exportCsv({ format: 'generic', entries: entries(), out, mappings: { chart } });
    expect(written).toEqual({ entries: entryCount, lines: 200_000 });
    expect(out.records).toBe(200_001);
    expect(out.bytes).toBeGreaterThan(25_000_000);
    // A sanity bound, not a benchmark (no forced GC): holding the rows of a 25 MB file would break it.
    const growth = Math.max(out.peakHeap, process.memoryUsage().heapUsed) - heapBefore;
    expect(growth).toBeLessThan(60 * 1024 * 1024);
  });

  it('reads entries only as fast as a slow output takes rows (backpressure)', async () => {
    const entryCount = 10_000;
    let linesRead = 0;
    let furthestAhead = 0;
    const out = new CountingSink(true);
    async function* entries(): AsyncGenerator<RenderedEntry> {
      for (let index = 0; index < entryCount; index += 1) {
        furthestAhead = Math.max(furthestAhead, linesRead - out.records);
        linesRead += 2;
        yield twoLineEntry(index);
      }
    }
    const written = await exportCsv({ format: 'generic', entries: entries(), out, mappings: { chart } });
    expect(written.lines).toBe(20_000);
    expect(out.records).toBe(20_001);
    // Stream buffers hold a few hundred rows at most; without backpressure the reader would run thousands ahead.
    expect(furthestAhead).toBeLessThan(1_000);
  });
});
