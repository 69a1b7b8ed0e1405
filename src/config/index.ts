export {
  CONFIG_ENV_VARIABLE,
  CONFIG_FILE_NAME,
  configuredEntityNames,
  findConfigFile,
  loadConfig,
  loadEachEntityConfig,
  type ConfigLookup,
  type ConfigOrigin,
  type LoadConfigOptions,
} from './load-config.js';
export type { ConfigNeeds } from './config-needs.js';
export type { Environment } from './interpolate.js';
export {
  WEBHOOK_AUTH_MODES,
  XERO_JOURNAL_STATUSES,
  type WebhookAuthMode,
  type XeroJournalStatus,
} from './config-schema.js';
export {
  TOKEN_STORE_FILE_NAME,
  type AlertsConfig,
  type Config,
  type ExchangeRatesConfig,
  type ExportConfig,
  type ScheduleConfig,
  type SourceConfig,
  type UnresolvedReference,
  type WebhooksConfig,
} from './resolve-config.js';
export { SECRET_FIELDS } from './secret-fields.js';
export { configFields } from './field-schemas.js';
export { destinationTaxFlows, taxChartOf, taxCodesSection, taxSection } from './tax-section.js';
export { legacyTaxNote } from './legacy-tax.js';
export { valueAt } from './key-path.js';
export { bankAccountsOf, bankLedgerAccounts, type BankAccountSource } from './bank-accounts.js';
export type {
  ConfigKinds,
  ConfiguredSource,
  DestinationConfigKind,
  DestinationMappingKind,
  EntryPlacement,
  EntryProblem,
  SourceConfigKind,
} from './config-kinds.js';
export { configSecrets, createRedactor, redactSecrets, REDACTED, type Redactor } from './redactor.js';
export { redactedConfigForDisplay, type JsonValue } from './config-display.js';
export { accountsUsedByChart } from './chart-vocabulary.js';
export { loadMappings } from './load-mappings.js';
export { checkedCacheIn, type CheckedCache } from './checked-cache.js';
export {
  destinationMappingOf,
  type Chart,
  type DestinationMapping,
  type LoadMappingsOptions,
  type Mappings,
} from './mappings-loader.js';
export {
  ACCOUNT_TYPES,
  type AccountType,
  type ChartAccount,
  type JournalRule,
  type JournalSplit,
} from './mappings-schema.js';
export { packageMappingsDir, packageRoot } from './package-mappings.js';
export {
  EXAMPLE_CONFIG,
  EXAMPLE_CONFIG_VARIABLES,
  exampleConfigText,
  SANDBOX_ORIGIN,
  SANDBOX_REGION_HOMES,
} from './example-config.js';
export { productionConfigText } from './production-config.js';
export { closestName } from './did-you-mean.js';
export { mappingGaps, type MappingGap } from './mapping-gaps.js';
export { describePostgresUrl, isPostgresUrl, postgresPassword, type LedgerEngine } from './ledger-location.js';
export { configFingerprint } from './config-fingerprint.js';
export {
  connectionNextStep,
  connectionProblem,
  type ConnectionState,
  type ConnectionSubject,
} from './connection-advice.js';
