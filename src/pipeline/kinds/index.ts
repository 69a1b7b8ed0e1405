/** The plug-in registries: each kind of source and of destination bundles what every use case needs of it, registered in one line. */
export { registerSourceKind, sourceKinds } from './source-kinds.js';
export type { SourceKind } from './source-kind.js';
export type { DestinationKind } from '../../destinations/index.js';
export {
  configKinds,
  destinationKinds,
  registerDestinationKind,
  type ApiDestinationKind,
} from './destination-kinds.js';
