/** The plug-in registries: each kind of source (and destination) bundles what every use case needs of it, registered in one line. */
export { configKinds } from './config-kinds.js';
export { registerSourceKind, sourceKinds, syncKindsOf, type SourceKinds } from './source-kinds.js';
export type { SourceKind } from './source-kind.js';
