import { describe, expect, it } from 'vitest';
import { loadWholeUnit, type WholeStagedSource } from '../../../src/pipeline/runs/index.js';

/** A kind over a list of batches of numbers: normalize refuses a negative one, loadWhole sums what it is handed. */
interface Tally {
  units: number;
  written: number[];
}
const tallying: WholeStagedSource<number[], string, number, number[], Tally, Tally, number[][], number> = {
  kind: 'tally',
  extract: async function* (batches) {
    for (const batch of batches) yield batch;
  },
  before: async (reads) => reads.written.length,
  normalize: (batch, _held, unit) => {
    if (batch.some((value) => value < 0)) throw new Error(`${unit}: a negative value`);
    return { events: [], findings: [], progress: batch };
  },
  loadWhole: async (tx, chunks) => {
    let sum = 0;
    for await (const chunk of chunks) {
      tx.written.push(...chunk);
      sum += chunk.reduce((a, b) => a + b, 0);
    }
    return sum;
  },
};

function books(): Tally & { reads: Tally; unit<T>(work: (tx: Tally) => Promise<T>): Promise<T> } {
  const state: Tally = { units: 0, written: [] };
  return Object.assign(state, {
    reads: state,
    // A unit that keeps nothing when its work throws, as the ledger's does.
    unit: async <T>(work: (tx: Tally) => Promise<T>) => {
      state.units += 1;
      const tx: Tally = { units: state.units, written: [...state.written] };
      const result = await work(tx);
      state.written = tx.written;
      return result;
    },
  });
}

describe('loadWholeUnit, the loader of a unit kept whole', () => {
  it('loads every chunk in one unit of work and gives what the kind loaded, each chunk seen once', async () => {
    const ledger = books();
    const seen: number[][] = [];
    const loaded = await loadWholeUnit(ledger, tallying, {
      io: [[1, 2], [3], [4, 5]],
      unit: 'march.xml',
      dryRun: false,
      onChunk: (chunk) => seen.push(chunk),
    });
    expect(loaded).toBe(15);
    expect(ledger.units).toBe(1);
    expect(ledger.written).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toEqual([[1, 2], [3], [4, 5]]);
  });

  it('a dry run extracts and normalizes every chunk and opens no unit: nothing is written', async () => {
    const ledger = books();
    let chunks = 0;
    const loaded = await loadWholeUnit(ledger, tallying, {
      io: [[1, 2], [3]],
      unit: 'march.xml',
      dryRun: true,
      onChunk: () => (chunks += 1),
    });
    expect(loaded).toBeUndefined();
    expect(chunks).toBe(2);
    expect(ledger).toMatchObject({ units: 0, written: [] });
  });

  it('a chunk normalize refuses after others were handed on keeps nothing, in a dry run and a real one alike', async () => {
    for (const dryRun of [true, false]) {
      const ledger = books();
      const run = loadWholeUnit(ledger, tallying, { io: [[1, 2], [3], [-4]], unit: 'march.xml', dryRun });
      await expect(run).rejects.toThrow('march.xml: a negative value');
      expect(ledger.written).toEqual([]);
    }
  });

  it('refuses a chunk that carries events, which it does not load', async () => {
    const eventful = {
      ...tallying,
      normalize: () => ({ events: [{} as never], findings: [], progress: [] }),
    };
    await expect(loadWholeUnit(books(), eventful, { io: [[1]], unit: 'march.xml', dryRun: true })).rejects.toThrow(
      'tally: a whole unit',
    );
  });
});
