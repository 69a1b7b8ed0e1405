import { finished } from 'node:stream/promises';
import { addDays } from '../../calendar/index.js';
import { UsageError } from '../../errors.js';
import type { DestinationExportRequest, DestinationKind } from '../destination-kind.js';
import { datevFile, datevWindow } from './datev-file.js';
import { datevMapping, datevSection, type DatevSection } from './datev-settings.js';

/** The `datev` section of the configuration, which the export needs for its header. */
function datevSectionOf(config: DestinationExportRequest['config']): DatevSection {
  const section = config.destinations['datev'] as DatevSection | undefined;
  if (section === undefined)
    throw new UsageError(
      'export --format datev needs destinations.datev in the configuration (adviser, client, chart, fiscalYearStart): ask the tax adviser for them',
    );
  return section;
}

/** DATEV's Buchungsstapel (EXTF 700, category 21, format version 13), which a German tax adviser imports. */
export const datevDestination: DestinationKind = {
  name: 'datev',
  mapping: datevMapping,
  config: { kind: 'datev', sectionSchema: datevSection },
  initSection: {
    ask: 'export --format datev: ask the tax adviser (Steuerberater) for these and for the SKR numbers of mappings/datev.yaml',
    example: `  datev:                                # export --format datev; illustrative numbers, the adviser's are yours
    adviser: 1001                       # Beraternummer
    client: 1                           # Mandantennummer
    chart: SKR03                        # SKR03 | SKR04: mappings/datev.yaml's numbers are this chart's
    fiscalYearStart: "01-01"            # WJ-Beginn, MM-DD
`,
  },
  exportFormat: {
    description: "DATEV's Buchungsstapel (EXTF, Windows-1252), one booking per pair of accounts",
    fileExtension: 'csv',
    charset: 'windows-1252',
    mediaType: 'text/csv',
    statesWhenMade: true,
    fileName(request) {
      const window = datevWindow(request);
      return `EXTF_Buchungsstapel_${window.from.replaceAll('-', '')}_${window.to.replaceAll('-', '')}.csv`;
    },
    // The year ends the day before the section's fiscalYearStart: "01-01" → "12-31", "07-01" → "06-30".
    fiscalYearEnd(config) {
      const section = config.destinations['datev'] as DatevSection | undefined;
      return addDays(`2001-${section?.fiscalYearStart ?? '01-01'}`, -1).slice(5);
    },
    async write(reads, request, out, endOut) {
      const file = await datevFile(reads, request, datevSectionOf(request.config));
      out.write(file.bytes);
      if (endOut) {
        out.end();
        await finished(out);
      }
      return `${file.entries} entries, ${file.bookings} bookings (${file.byEvent} entries event by event), Windows-1252`;
    },
  },
};
