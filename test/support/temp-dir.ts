import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';

/**
 * A fresh temporary folder: one made in a test (or its beforeEach) is removed after that test, one made in a
 * beforeAll after the file's last test. Removing a beforeAll's folder after the first test, as this once did,
 * pulled it from under the tests still using it, and a later write made it again, left in /tmp for good.
 */
export function useTempDir(prefix = 'ledgerline-'): () => string {
  const madeByTest: string[] = [];
  const madeByFile: string[] = [];
  let inTest = false;
  const remove = (dirs: string[]) => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  };
  beforeEach(() => {
    inTest = true;
  });
  afterEach(() => {
    inTest = false;
    remove(madeByTest);
  });
  afterAll(() => remove(madeByFile));
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    (inTest ? madeByTest : madeByFile).push(dir);
    return dir;
  };
}
