import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { ConfigError } from '../../src/errors.js';

/** A scratch folder removed after the test; `write` creates parent folders and returns the absolute path. */
export function tempFolder(): { dir: string; write(name: string, text: string): string } {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-config-'));
  // Removed by the test that made it: a module-level afterEach was registered only by the first file of a
  // worker (the unit tier shares modules between files), so the other files' folders were left in /tmp.
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
  };
}

/** Runs `action`, which must throw a ConfigError, and returns it. */
export function configErrorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
