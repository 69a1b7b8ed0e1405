import { z } from 'zod';
import { cronExpression } from './cron-expression.js';
import type { ConfigProblem } from '../errors.js';
import { wholeNumber } from './field-schemas.js';
import { isPlainRecord, type KeyPath } from './key-path.js';
import { ONCE } from './zod-problems.js';

/**
 * What any source may say, whatever its kind, kept out of the kind's own entry: when it is synced (`schedule`, a
 * cron expression), after how many days without new data it counts as silent (`silentAfterDays`, else
 * `monitor.silentAfterDays`) and the entity it books into (`entity`). Read from a yaml entry and from a sources.csv row alike.
 * `checkCron`: see cronExpression.
 */
function sourceSettingsSchemaFor(checkCron: boolean) {
  return z.object({
    schedule: cronExpression(checkCron).optional(),
    silentAfterDays: wholeNumber(1, 3650).optional(),
    /** The entity (config/entities.ts) whose books it goes to, when the file has `entities:`. */
    entity: z.string().min(1, 'must not be empty').optional(),
  });
}

export type SourceSettings = z.output<ReturnType<typeof sourceSettingsSchemaFor>>;

const SETTING_KEYS = Object.keys({ schedule: true, silentAfterDays: true, entity: true } satisfies Record<
  keyof SourceSettings,
  true
>);

/** The document with each entry's settings taken out (its kind's schema does not know them), and the settings by entry. */
export function takeSourceSettings(
  document: Record<string, unknown>,
  at: (path: KeyPath, message: string) => ConfigProblem,
  checkCron = true,
): { document: Record<string, unknown>; settings: SourceSettings[]; problems: ConfigProblem[] } {
  if (!Array.isArray(document.sources)) return { document, settings: [], problems: [] };
  const sourceSettingsSchema = sourceSettingsSchemaFor(checkCron);
  const problems: ConfigProblem[] = [];
  const settings: SourceSettings[] = [];
  const sources = document.sources.map((entry: unknown, index) => {
    if (!isPlainRecord(entry)) {
      settings.push({});
      return entry;
    }
    const own = Object.fromEntries(SETTING_KEYS.filter((key) => key in entry).map((key) => [key, entry[key]]));
    const parsed = sourceSettingsSchema.safeParse(own, ONCE);
    settings.push(parsed.success ? parsed.data : {});
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        problems.push(at(['sources', index, ...issue.path.map(String)], issue.message));
    return Object.fromEntries(Object.entries(entry).filter(([key]) => !SETTING_KEYS.includes(key)));
  });
  return { document: { ...document, sources }, settings, problems };
}
