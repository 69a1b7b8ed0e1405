export {
  CONFIG_FILE_NAME,
  configuredEntityNames,
  findConfigFile,
  loadConfig,
  loadEachEntityConfig,
} from './load-config.js';
export type { ConfigNeeds } from './config-needs.js';
export { XERO_JOURNAL_STATUSES } from './config-schema.js';
export { type Config, type ExchangeRatesConfig, type ScheduleConfig, type SourceConfig } from './resolve-config.js';
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
export { configSecrets, createRedactor, redactSecrets } from './redactor.js';
export { accountsUsedByChart } from './chart-vocabulary.js';
export { loadMappings } from './load-mappings.js';
export { checkedCacheIn, type CheckedCache } from './checked-cache.js';
export { destinationMappingOf, type Chart, type Mappings } from './mappings-loader.js';
export { type AccountType, type ChartAccount, type JournalRule } from './mappings-schema.js';
export { packageMappingsDir, packageRoot } from './package-mappings.js';
export { exampleConfigText, SANDBOX_ORIGIN, SANDBOX_REGION_HOMES } from './example-config.js';
export { productionConfigText } from './production-config.js';
export { closestName } from './did-you-mean.js';
export { mappingGaps, type MappingGap } from './mapping-gaps.js';
export { describePostgresUrl, isPostgresUrl, postgresPassword } from './ledger-location.js';
export { configFingerprint } from './config-fingerprint.js';
export {
  connectionNextStep,
  connectionProblem,
  type ConnectionState,
  type ConnectionSubject,
} from './connection-advice.js';
