import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageMappingsDir } from '../config/index.js';
import { ConfigError, EnvironmentError } from '../errors.js';
import { SANDBOX_QUICKBOOKS_BANK_MAPPING } from './sandbox-bank.js';

/** What `--sandbox-url` adds to the copied mappings: QuickBooks' `bank` (the demo's `adjust … --credit bank=` needs it). */
const SANDBOX_BANK_MAPPING = { name: 'quickbooks.yaml', section: SANDBOX_QUICKBOOKS_BANK_MAPPING };

/** What init writes, and how it treats a configuration already there. */
export interface ConfigurationRequest {
  readonly configFile: string;
  /** The configuration's text as init words it. */
  readonly configText: string;
  /** Each mapping file's tax section for the business's region, by file name. */
  readonly taxSections: ReadonlyMap<string, string>;
  /** The configuration points at the sandbox (`--sandbox-url`), whose bank QuickBooks' mapping then names. */
  readonly sandboxBank: boolean;
  /** Rewrite the configuration even if it loads (`--force`). */
  readonly force: boolean;
  now(): Date;
  /** Loads a configuration file as the commands do: throws a ConfigError when it does not load. */
  load(configFile: string): void;
  /** Says a line on the side (stderr): why a configuration that does not load is rewritten. */
  warn(line: string): void;
}

/** Writes the configuration (keeping a backup of one it rewrites) and the mappings beside it; each file written or kept goes to `place`. */
export function writeConfigurationFiles(
  request: ConfigurationRequest,
  place: (path: string, write: () => void) => void,
  backups: string[],
): void {
  const { configFile } = request;
  const folder = resolve(configFile, '..');
  mkdirSync(folder, { recursive: true });
  const rewrite = existsSync(configFile) ? whyRewrite(request) : undefined;
  if (rewrite !== undefined) {
    if (rewrite.broken !== undefined)
      request.warn(
        `${configFile} does not load (${rewrite.broken}); init writes a fresh one and keeps the old file as a backup`,
      );
    backups.push(backUp(configFile, request.now()));
  }
  place(configFile, () =>
    writeFileSync(
      configFile,
      // The copied mappings are the user's to edit, so the written configuration points at them.
      request.configText.replace(/^# mappings: (\S+)( *)#/m, 'mappings: $1  $2#'),
      { flag: 'wx' },
    ),
  );
  const mappingsDir = join(folder, 'mappings');
  mkdirSync(mappingsDir, { recursive: true });
  // A mapping file kept from before is the user's: only a freshly copied one gets the region's tax section.
  const sandboxBank = request.sandboxBank ? SANDBOX_BANK_MAPPING : undefined;
  for (const name of readdirSync(packageMappingsDir()).filter((file) => file.endsWith('.yaml'))) {
    const target = join(mappingsDir, name);
    place(target, () => {
      copyFileSync(join(packageMappingsDir(), name), target);
      // The bank's line goes under accounts: first, since a tax section appended after it starts a section of its own.
      if (sandboxBank?.name === name) appendFileSync(target, sandboxBank.section);
      const section = request.taxSections.get(name);
      if (section !== undefined) appendFileSync(target, section);
    });
  }
}

/** Whether init rewrites an existing configuration: asked to (--force), or the file does not load (`broken` says why). */
function whyRewrite(request: ConfigurationRequest): { broken?: string } | undefined {
  if (request.force) return {};
  try {
    request.load(request.configFile);
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { broken: error.message };
  }
}

/** Moves the configuration aside as `FILE.bak-<time>`, never over an earlier backup. */
function backUp(configFile: string, now: Date): string {
  const backup = `${configFile}.bak-${now.toISOString().replace(/[:.]/g, '-')}`;
  if (existsSync(backup)) throw new EnvironmentError(`${backup} already exists: run init again in a moment`);
  renameSync(configFile, backup);
  return backup;
}
