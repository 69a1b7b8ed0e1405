import type { CommandProcess } from './command.js';
import { writeConfigurationFiles } from '../app/configuration-files.js';
import { configText, regionSections, sandboxRegion } from '../app/configuration-text.js';
import { loadConfigFor } from '../app/configured-books.js';

/** Where a business can say it is registered (`init --region`): each destination words its tax section for them. */
export const TAX_REGIONS = ['uk', 'eu', 'au', 'nz', 'us'] as const;

/** Writes the configuration `init`'s flags word (keeping a backup of one it rewrites) and the mappings beside it; each file written or kept goes to `place`. */
export function writeConfiguration(
  context: CommandProcess & {
    flags: {
      for?: string | undefined;
      'sandbox-url'?: string | undefined;
      force: boolean;
      region?: (typeof TAX_REGIONS)[number] | undefined;
      'vat-registered': boolean;
      'supplier-currency'?: string | undefined;
    };
  },
  configFile: string,
  place: (path: string, write: () => void) => void,
  backups: string[],
): void {
  const { for: target, 'sandbox-url': sandboxUrl, region } = context.flags;
  const request = {
    configFile,
    configText: configText(target, sandboxUrl, sandboxRegion(region), context.flags['supplier-currency']),
    taxSections: regionSections(target, region, context.flags['vat-registered']),
    sandboxBank: sandboxUrl !== undefined,
    force: context.flags.force,
    now: () => context.now(),
    load: (file: string) => void loadConfigFor({ ...context, configPath: file }),
    warn: (line: string) => context.stderr.write(`${line}\n`),
  };
  writeConfigurationFiles(request, place, backups);
}
