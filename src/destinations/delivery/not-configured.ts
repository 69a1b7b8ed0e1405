import type { Config } from '../../config/index.js';
import { ConfigError } from '../../errors.js';

/** A post, doctor or reconcile to a destination whose section or mapping the configuration lacks. */
export function notConfigured(config: Pick<Config, 'file'>, name: string): ConfigError {
  return new ConfigError([
    {
      file: config.file,
      path: `destinations.${name}`,
      message: `is not configured; posting to ${name} needs it (and its mapping, ${name}.yaml)`,
    },
  ]);
}
