import type { ConfigKinds } from '../../config/index.js';
import { destinationKinds } from './destination-kinds.js';
import { sourceKinds } from './source-kinds.js';

/** Every kind the configuration may name, for `loadConfig`. */
export function configKinds(): ConfigKinds {
  return { sources: sourceKinds.config(), destinations: destinationKinds.all().flatMap((kind) => kind.config ?? []) };
}
