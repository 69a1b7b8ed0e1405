import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { isCalendarDate } from '../src/calendar/index.js';
import { UsageError } from '../src/errors.js';
import type { DestinationFakes } from './destination-fakes.js';
import { mountsKeepingBooks, restoreFakesBooks } from './fakes-books.js';
import type { SandboxMount } from './mount.js';

/** The world a demo writes down beside its books (`demo`'s sandbox.json), so `sandbox --resume` serves it again. */
const DemoWorld = z.strictObject({
  seed: z.number().int(),
  start: z.string().refine(isCalendarDate),
  today: z.string().refine(isCalendarDate),
  port: z.number().int().min(1).max(65535),
});

/** The two files a demo leaves in its folder for the sandbox: its world, and the Xero and QuickBooks fakes' books. */
export interface DemoFiles {
  world: string;
  fakesBooks: string;
}

/** What `sandbox --resume DIR` takes up from a demo's folder. */
export interface ResumedDemo {
  world: z.infer<typeof DemoWorld>;
  /** The fakes' mounts, keeping the books in DIR up to date after each write. */
  mounts: SandboxMount[];
  /** Keeps each day the sandbox moves to in the world's file. */
  onDayMoved: (date: string) => void;
}

/**
 * The demo's world in `dir` (refused naming the file when it is missing or not one), and the fakes' books it left,
 * taken up by `fakes`: the sandbox goes on from the demo's books, and keeps them and its day there.
 */
export function resumeDemo(dir: string, files: DemoFiles, fakes: DestinationFakes): ResumedDemo {
  const world = demoWorld(dir, files.world);
  return {
    world,
    mounts: mountsKeepingBooks(fakes, resumedBooks(fakes, dir, files.fakesBooks)),
    onDayMoved: keepDayIn(files.world),
  };
}

/**
 * The fakes' books the demo left in `path` (what was posted, voided and locked), taken up by `fakes`; returns the
 * file, which the resumed sandbox keeps up to date after each write. A demo of an earlier release wrote none: the
 * fakes start empty.
 */
function resumedBooks(fakes: DestinationFakes, dir: string, path: string): string {
  if (!existsSync(path)) return path;
  try {
    restoreFakesBooks(fakes, readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `--resume ${dir}: ${path} is not the fakes' books a demo writes (${(error as Error).message}); move it aside to start the fakes empty`,
    );
  }
  return path;
}

/**
 * Writes each day a resumed sandbox moves to into the world's file, so the next `--resume` starts on the day the
 * books were synced to, not the demo's (a ledger synced to 04-03 and resumed at the demo's 04-02 refuses the day).
 */
function keepDayIn(path: string): (date: string) => void {
  return (date) => {
    const world = DemoWorld.parse(JSON.parse(readFileSync(path, 'utf8')));
    writeFileSync(path, `${JSON.stringify({ ...world, today: date }, null, 2)}\n`);
  };
}

/** The world a demo wrote down in `path`, refused naming the file when it is missing or not one. */
function demoWorld(dir: string, path: string): z.infer<typeof DemoWorld> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(
      `--resume ${dir}: there is no ${path}; name the folder a demo ran in (it prints it: "everything is in …")`,
    );
  }
  let parsed: ReturnType<typeof DemoWorld.safeParse>;
  try {
    parsed = DemoWorld.safeParse(JSON.parse(text));
  } catch {
    throw new UsageError(`--resume ${dir}: ${path} is not JSON; run the demo again to write it`);
  }
  if (!parsed.success)
    throw new UsageError(
      `--resume ${dir}: ${path} is not a demo's world (${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')})`,
    );
  return parsed.data;
}
