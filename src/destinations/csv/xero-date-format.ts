import type { XeroRegion } from '../xero/xero-config.js';
import type { ExportDateFormat } from '../../rules/index.js';

/**
 * The date format Xero's manual-journal import reads follows the organisation's
 * region: month-first in the US, day-first in the UK, NZ and AU. An explicit
 * export.dateFormat.xero wins. With neither, `DD MMM YYYY` (e.g. 03 Feb 2026),
 * which no region can misread: 03/02/2026 would be 3 February in London and
 * 2 March in New York, silently, for every day 1–12.
 */
export function xeroImportDateFormat(
  override: ExportDateFormat | undefined,
  region: XeroRegion | undefined,
): ExportDateFormat {
  if (override !== undefined) return override;
  if (region === undefined) return 'DD MMM YYYY';
  return region === 'US' ? 'MM/DD/YYYY' : 'DD/MM/YYYY';
}
