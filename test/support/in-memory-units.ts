import { InvariantViolation } from '../../src/errors.js';

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

  /** Runs `work` as the next unit; `unit.open` is false once it has ended, so a `tx` kept past it refuses (boundTo). */
  run<T>(work: (unit: OpenUnit) => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      const restores = this.parts.map((part) => part.save());
      const unit = { open: true };
      try {
        return await work(unit);
      } catch (error) {
        for (const restore of restores) restore();
        throw error;
      } finally {
        unit.open = false;
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

/** A unit of work while it runs. */
export interface OpenUnit {
  readonly open: boolean;
}

/**
 * The verbs a unit hands its work, each refusing once the unit has ended, as the store's `tx` does
 * (store/unit-of-work.ts): a statement through an ended unit is a bug (InvariantViolation), never a write alone.
 */
export function boundTo<Verbs extends object>(unit: OpenUnit, verbs: Verbs): Verbs {
  const bound: Record<string, unknown> = {};
  for (const [name, verb] of Object.entries(verbs))
    bound[name] =
      typeof verb === 'function'
        ? (...args: unknown[]) =>
            unit.open
              ? (verb as (...args: unknown[]) => unknown)(...args)
              : Promise.reject(
                  new InvariantViolation(`${name} was asked through a unit of work that had already ended`),
                )
        : verb;
  return bound as Verbs;
}
