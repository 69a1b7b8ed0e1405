import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageMappingsDir } from '../config/index.js';
import { ConfigError, EnvironmentError } from '../errors.js';
import type { CommandProcess } from './command.js';
import { configText, regionSections, sandboxRegion } from './init-text.js';
import { loadConfigFor } from '../app/configured-books.js';
import { SANDBOX_QUICKBOOKS_BANK_MAPPING } from './sandbox-bank.js';

/** What `--sandbox-url` adds to the copied mappings: QuickBooks' `bank` (the demo's `adjust … --credit bank=` needs it). */
const SANDBOX_BANK_MAPPING = { name: 'quickbooks.yaml', section: SANDBOX_QUICKBOOKS_BANK_MAPPING };

/** Where a business can say it is registered (`init --region`): each destination words its tax section for them. */
export const TAX_REGIONS = ['uk', 'eu', 'au', 'nz', 'us'] as const;
/** Writes the configuration (keeping a backup of one it rewrites) and the mappings beside it; each file written or kept goes to `place`. */
export function writeConfiguration(
  context: CommandProcess & {
    flags: {
      for?: string | undefined;
      'sandbox-url'?: string | undefined;
      force: boolean;
      region?: (typeof TAX_REGIONS)[number] | undefined;
      'vat-registered': boolean;
    };
  },
  configFile: string,
  place: (path: string, write: () => void) => void,
  backups: string[],
): void {
  const folder = resolve(configFile, '..');
  const { region } = context.flags;
  mkdirSync(folder, { recursive: true });
  const rewrite = existsSync(configFile) ? whyRewrite(context, configFile, context.flags.force) : undefined;
  if (rewrite !== undefined) {
    if (rewrite.broken !== undefined)
      context.stderr.write(
        `${configFile} does not load (${rewrite.broken}); init writes a fresh one and keeps the old file as a backup\n`,
      );
    backups.push(backUp(configFile, context.now()));
  }
  place(configFile, () =>
    writeFileSync(
      configFile,
      // The copied mappings are the user's to edit, so the written configuration points at them.
      configText(context.flags.for, context.flags['sandbox-url'], sandboxRegion(region)).replace(
        /^# mappings: (\S+)( *)#/m,
        'mappings: $1  $2#',
      ),
      { flag: 'wx' },
    ),
  );
  const mappingsDir = join(folder, 'mappings');
  mkdirSync(mappingsDir, { recursive: true });
  // A mapping file kept from before is the user's: only a freshly copied one gets the region's tax section.
  const taxed = regionSections(context.flags.for, region, context.flags['vat-registered']);
  const sandboxBank = context.flags['sandbox-url'] === undefined ? undefined : SANDBOX_BANK_MAPPING;
  for (const name of readdirSync(packageMappingsDir()).filter((file) => file.endsWith('.yaml'))) {
    const target = join(mappingsDir, name);
    place(target, () => {
      copyFileSync(join(packageMappingsDir(), name), target);
      // The bank's line goes under accounts: first, since a tax section appended after it starts a section of its own.
      if (sandboxBank?.name === name) appendFileSync(target, sandboxBank.section);
      const section = taxed.get(name);
      if (section !== undefined) appendFileSync(target, section);
    });
  }
}

/** Whether init rewrites an existing configuration: asked to (--force), or the file does not load (`broken` says why). */
function whyRewrite(context: CommandProcess, configFile: string, force: boolean): { broken?: string } | undefined {
  if (force) return {};
  try {
    loadConfigFor({ ...context, configPath: configFile });
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
