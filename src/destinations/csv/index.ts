export { exportCsv, type ExportCsvOptions } from './export-csv.js';
export { exportGenericCsv } from './generic-export.js';
export { csvText } from './csv-output.js';
export { formatDate } from './date-format.js';
export { guardFormula } from './formula-guard.js';
export { GENERIC_COLUMNS, type ChartAccount } from './generic-rows.js';
export { xeroImportDateFormat } from './xero-date-format.js';
