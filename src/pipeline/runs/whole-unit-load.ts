import { assertInvariant } from '../../rules/index.js';
import type { WholeStagedSource } from './chunked-staged-source.js';

/** The books a whole unit is loaded into: reads outside a unit, and a unit of work handing its `tx`. */
interface WholeUnitBooks<Reads, Tx extends Reads> {
  reads: Reads;
  unit<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * The pipeline's loader of a kind whose unit is kept whole (WholeStagedSource): each chunk the extract yields is
 * normalized over what the ledger held of it, and the stream of normalized chunks is loaded in one unit of work,
 * through its `tx` alone. A dry run extracts and normalizes the same chunks (a refusal of normalize's is the real
 * run's) and opens no unit: nothing is written, and it gives undefined. `onChunk` sees each normalized chunk.
 */
export async function loadWholeUnit<Chunk, Unit, Held, Progress, Reads, Tx extends Reads, Io, Loaded>(
  books: WholeUnitBooks<Reads, Tx>,
  kind: WholeStagedSource<Chunk, Unit, Held, Progress, Reads, Tx, Io, Loaded>,
  run: { io: Io; unit: Unit; dryRun: boolean; onChunk?: (progress: Progress) => void },
): Promise<Loaded | undefined> {
  const seen = run.onChunk ?? (() => {});
  if (run.dryRun) {
    for await (const progress of normalizedChunks(kind, books.reads, run)) seen(progress);
    return undefined;
  }
  return books.unit((tx) => kind.loadWhole(tx, seeing(normalizedChunks(kind, tx, run), seen), run.unit));
}

async function* normalizedChunks<Chunk, Unit, Held, Progress, Reads, Tx, Io>(
  kind: WholeStagedSource<Chunk, Unit, Held, Progress, Reads, Tx, Io, unknown>,
  reads: Reads,
  run: { io: Io; unit: Unit },
): AsyncGenerator<Progress> {
  for await (const chunk of kind.extract(run.io, run.unit)) {
    const normalized = kind.normalize(chunk, await kind.before(reads, chunk, run.unit), run.unit);
    assertInvariant(
      normalized.events.length === 0 && normalized.findings.length === 0 && normalized.journal === undefined,
      () =>
        `${kind.kind}: a whole unit's chunk carries events, findings or a journal, which loadWholeUnit does not load`,
    );
    yield normalized.progress;
  }
}

async function* seeing<Progress>(
  chunks: AsyncIterable<Progress>,
  seen: (progress: Progress) => void,
): AsyncGenerator<Progress> {
  for await (const progress of chunks) {
    seen(progress);
    yield progress;
  }
}
