import type { ConfigKinds } from '../../config/index.js';
import { sourceKinds } from './source-kinds.js';

/** Every kind the configuration may name, for `loadConfig`. */
export function configKinds(): ConfigKinds {
  return { sources: sourceKinds().config, destinations: [] };
}
