export { exportCsv, type CsvMappings, type ExportCsvOptions, type ExportCsvResult } from './export-csv.js';
export { exportGenericCsv, type ExportGenericOptions } from './generic-export.js';
export { formatDate, parseIsoDate, type CalendarDate, type DateFormat } from './date-format.js';
export { guardFormula } from './formula-guard.js';
export { GENERIC_COLUMNS, SOURCE_REF_MAX_IDS, sourceRef, type ChartAccount } from './generic-rows.js';
export { XERO_COLUMNS, XERO_DEFAULT_TAX_RATE } from './xero-rows.js';
export { xeroImportDateFormat } from './xero-date-format.js';
export { QUICKBOOKS_BASE_COLUMNS } from './quickbooks-rows.js';
export type { AccountMapping } from '../delivery/account-mapping.js';
