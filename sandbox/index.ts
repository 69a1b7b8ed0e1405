/**
 * What `ledgerline sandbox` and `ledgerline demo` start: the one way into the sandbox from src/
 * (test/architecture/sandbox-boundary.test.ts keeps it so).
 */
export { startSandboxWithFakes } from './sandbox-with-fakes.js';
export { fakesBooksText, writeFakesBooks } from './fakes-books.js';
export {
  createDestinationFakes,
  DESTINATION_CHARTS,
  SANDBOX_DESTINATION_CREDENTIALS,
  SANDBOX_ENVIRONMENT,
  SANDBOX_SECOND_ORGANISATION,
  type DestinationChart,
  type DestinationFakes,
} from './destination-fakes.js';
export { PANEL_FLAVOURS, type PanelFlavourName } from './panel-flavours.js';
export { SANDBOX_REGION_SETTINGS, SANDBOX_REGIONS, type SandboxRegion } from './sandbox-region.js';
export { sandboxBanner, startSandbox, type RunningSandbox, type SandboxOptions } from './sandbox-server.js';
export { SANDBOX_BANK_ACCOUNT } from './bank/world-bank.js';
export type { RunningFleet } from './fleet.js';
export { fleetConfigText, SANDBOX_ENTITIES, sandboxEntityOf, startSandboxFleet } from './fleet-folder.js';
