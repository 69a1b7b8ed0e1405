import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerStorageError } from '../../src/errors.js';
import { exportFileError, writtenWhole } from '../../src/cli/export-file.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-export-file-');

describe('an export written whole (export --out)', () => {
  it('a full disk part way is the disk failing (exit 3), named, not an internal error; no .partial is left', async () => {
    const dir = tempDir();
    const path = join(dir, 'march-xero.csv');
    const full = writtenWhole(path, async (out, sideFile) => {
      sideFile('bank-statement', 'csv');
      out.write('*Narration,*Date\r\n');
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        path: `${path}.partial`,
      });
    });
    const said = await full.catch((error: unknown) => exportFileError(error, path));
    expect(said).toBeInstanceOf(LedgerStorageError);
    expect((said as Error).message).toBe(
      `--out ${path}.partial: the disk refused the write (ENOSPC: full, over quota or failing); nothing was kept, free some space and run it again`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the files written beside an export (its bank statement files)', () => {
  /** The side file writtenWhole opens for `name`'s export, once written. */
  async function sideOf(dir: string, name: string): Promise<string> {
    return writtenWhole(join(dir, name), async (out, sideFile) => {
      const side = sideFile('bank-statement', 'csv');
      side.out.end('Date,Amount\r\n');
      out.end('*Narration\r\n');
      await new Promise((resolve) => side.out.once('finish', resolve));
      return side.path;
    });
  }

  it('e.xero then e.quickbooks keep a statement file each, not one overwriting the other; march-xero.csv keeps its name', async () => {
    const dir = tempDir();
    expect(await sideOf(dir, 'e.xero')).toBe(join(dir, 'e.xero-bank-statement.csv'));
    expect(await sideOf(dir, 'e.quickbooks')).toBe(join(dir, 'e.quickbooks-bank-statement.csv'));
    expect(await sideOf(dir, 'march-xero.csv')).toBe(join(dir, 'march-xero-bank-statement.csv'));
    expect(readdirSync(dir).sort()).toEqual([
      'e.quickbooks',
      'e.quickbooks-bank-statement.csv',
      'e.xero',
      'e.xero-bank-statement.csv',
      'march-xero-bank-statement.csv',
      'march-xero.csv',
    ]);
  });
});
