/** A part of in-memory books that a unit of work restores when its work throws: `save` hands back its restore. */
export interface UnitPart {
  save(): () => void;
}

/**
 * Units of work over in-memory books (the doubles of test/support/*-double.ts): one at a time, in order of asking,
 * as SQLite's BEGIN IMMEDIATE runs them; a unit whose work throws puts every part back as it was before it.
 */
export class InMemoryUnits {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly parts: UnitPart[] = [];

  join(part: UnitPart): void {
    this.parts.push(part);
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      const restores = this.parts.map((part) => part.save());
      try {
        return await work();
      } catch (error) {
        for (const restore of restores) restore();
        throw error;
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/** A part whose state is one object of plain data (bigints, Maps and arrays within): saved by a deep copy. */
export function clonedPart<State extends object>(state: State): UnitPart {
  return {
    save() {
      const before = structuredClone(state);
      return () => {
        for (const key of Object.keys(state)) delete (state as Record<string, unknown>)[key];
        Object.assign(state, before);
      };
    },
  };
}
