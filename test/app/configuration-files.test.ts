import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeConfigurationFiles, type ConfigurationRequest } from '../../src/app/configuration-files.js';
import { SANDBOX_QUICKBOOKS_BANK_MAPPING } from '../../src/app/sandbox-bank.js';
import { packageMappingsDir } from '../../src/config/index.js';
import { ConfigError, EnvironmentError } from '../../src/errors.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-configuration-files-');

const CONFIG_TEXT = 'ledger: ./data/ledger.sqlite\n# mappings: ./mappings/default.yaml   # your own chart\n';
const NOW = new Date('2026-11-28T02:30:00.123Z');

/** What init's files are asked for, written into a fresh folder, with what was placed, warned and loaded recorded. */
function initIn(dir: string, change: Partial<ConfigurationRequest> = {}) {
  const placed: string[] = [];
  const kept: string[] = [];
  const warned: string[] = [];
  const loaded: string[] = [];
  const backups: string[] = [];
  const request: ConfigurationRequest = {
    configFile: join(dir, 'ledgerline.yaml'),
    configText: CONFIG_TEXT,
    taxSections: new Map(),
    sandboxBank: false,
    force: false,
    now: () => NOW,
    load: (file) => void loaded.push(file),
    warn: (line) => void warned.push(line),
    ...change,
  };
  const place = (path: string, write: () => void) => {
    if (existsSync(path)) kept.push(path);
    else {
      write();
      placed.push(path);
    }
  };
  return {
    request,
    write: () => writeConfigurationFiles(request, place, backups),
    placed,
    kept,
    warned,
    loaded,
    backups,
  };
}

const shippedMappings = () => readdirSync(packageMappingsDir()).filter((name) => name.endsWith('.yaml'));

describe("init's files (app/configuration-files.ts)", () => {
  it('a fresh folder: the configuration pointing at the copied mappings, and each shipped mapping copied as it ships', () => {
    const dir = join(tempDir(), 'books');
    const init = initIn(dir);
    init.write();
    expect(readFileSync(init.request.configFile, 'utf8')).toBe(
      'ledger: ./data/ledger.sqlite\nmappings: ./mappings/default.yaml     # your own chart\n',
    );
    expect(init.placed).toEqual([
      init.request.configFile,
      ...shippedMappings().map((name) => join(dir, 'mappings', name)),
    ]);
    for (const name of shippedMappings())
      expect(readFileSync(join(dir, 'mappings', name), 'utf8')).toBe(
        readFileSync(join(packageMappingsDir(), name), 'utf8'),
      );
    expect({ warned: init.warned, loaded: init.loaded, backups: init.backups }).toEqual({
      warned: [],
      loaded: [],
      backups: [],
    });
  });

  it("the sandbox's bank line goes to quickbooks.yaml before the region's tax section, and only to a freshly copied file", () => {
    const dir = tempDir();
    const shipped = readFileSync(join(packageMappingsDir(), 'quickbooks.yaml'), 'utf8');
    const taxSections = new Map([
      ['quickbooks.yaml', 'tax:\n  vat: { code: "20.0% S" }\n'],
      ['xero.yaml', 'tax:\n  vat: { code: "OUTPUT2" }\n'],
    ]);
    initIn(dir, { sandboxBank: true, taxSections }).write();
    expect(readFileSync(join(dir, 'mappings', 'quickbooks.yaml'), 'utf8')).toBe(
      `${shipped}${SANDBOX_QUICKBOOKS_BANK_MAPPING}tax:\n  vat: { code: "20.0% S" }\n`,
    );
    expect(readFileSync(join(dir, 'mappings', 'xero.yaml'), 'utf8')).toMatch(
      /\ntax:\n {2}vat: \{ code: "OUTPUT2" \}\n$/,
    );
    writeFileSync(join(dir, 'mappings', 'xero.yaml'), 'the user edited this\n');
    const again = initIn(dir, { sandboxBank: true, taxSections, force: true });
    again.write();
    expect(readFileSync(join(dir, 'mappings', 'xero.yaml'), 'utf8')).toBe('the user edited this\n');
    expect(again.kept).toContain(join(dir, 'mappings', 'xero.yaml'));
  });

  it('a configuration that loads is kept as it is, unless forced: then it is moved aside as FILE.bak-<time> first', () => {
    const dir = tempDir();
    const configFile = join(dir, 'ledgerline.yaml');
    writeFileSync(configFile, 'the earlier configuration\n');
    const kept = initIn(dir);
    kept.write();
    expect(kept.loaded).toEqual([configFile]);
    expect(kept.kept).toContain(configFile);
    expect(readFileSync(configFile, 'utf8')).toBe('the earlier configuration\n');

    const forced = initIn(dir, { force: true });
    forced.write();
    const backup = `${configFile}.bak-2026-11-28T02-30-00-123Z`;
    expect(forced.backups).toEqual([backup]);
    expect(forced.loaded).toEqual([]);
    expect(readFileSync(backup, 'utf8')).toBe('the earlier configuration\n');
    expect(readFileSync(configFile, 'utf8')).toContain('mappings: ./mappings/default.yaml');
    // A second rewrite in the same instant would overwrite that backup: it is refused instead, the files as they were.
    expect(() => initIn(dir, { force: true }).write()).toThrow(EnvironmentError);
    expect(readFileSync(backup, 'utf8')).toBe('the earlier configuration\n');
  });

  it("a configuration that does not load is rewritten, said on the side with the loader's reason, the old one kept", () => {
    const dir = tempDir();
    const configFile = join(dir, 'ledgerline.yaml');
    writeFileSync(configFile, 'ledger: [\n');
    const problem = { file: configFile, path: 'ledger', message: 'not a path' };
    const broken = initIn(dir, {
      load: () => {
        throw new ConfigError([problem]);
      },
    });
    broken.write();
    const reason = new ConfigError([problem]).message;
    expect(broken.warned).toEqual([
      `${configFile} does not load (${reason}); init writes a fresh one and keeps the old file as a backup`,
    ]);
    expect(readFileSync(broken.backups[0]!, 'utf8')).toBe('ledger: [\n');
    expect(broken.placed[0]).toBe(configFile);
  });

  it('a loader that fails otherwise (a bug, not the file) stops init before anything is moved or written', () => {
    const dir = tempDir();
    const configFile = join(dir, 'ledgerline.yaml');
    writeFileSync(configFile, 'ledger: ./data/ledger.sqlite\n');
    const failing = initIn(dir, {
      load: () => {
        throw new TypeError('the loader broke');
      },
    });
    expect(() => failing.write()).toThrow('the loader broke');
    expect(readdirSync(dir)).toEqual(['ledgerline.yaml']);
  });
});
