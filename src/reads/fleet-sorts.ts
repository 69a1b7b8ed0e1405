// Apart from the fleet's schemas (fleet-view.ts): the report's fleet table links its orders without building them.

/** The orders `--sort` offers: `need` (the default) is failing, then not synced, then silent, then the longest behind. */
export const FLEET_SORTS = [
  'need',
  'lag',
  'source',
  'entity',
  'kind',
  'last-success',
  'open',
  'silent',
  'calls',
  'token',
] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];
