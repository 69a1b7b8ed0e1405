import { finished } from 'node:stream/promises';
import { UsageError } from '../../errors.js';
import type { DestinationExportRequest, DestinationKind } from '../destination-kind.js';
import { fecFile } from './fec-file.js';
import { fecMapping, fecSection, type FecSection } from './fec-settings.js';

function fecSectionOf(config: DestinationExportRequest['config']): FecSection {
  const section = config.destinations['fec'] as FecSection | undefined;
  if (section === undefined)
    throw new UsageError(
      "export --format fec needs destinations.fec in the configuration (siren, fiscalYearEnd): the company's SIREN names the file",
    );
  return section;
}

/** The Fichier des Écritures Comptables a company in France hands its tax auditor (LPF art. A47 A-1). */
export const fecDestination: DestinationKind = {
  name: 'fec',
  mapping: fecMapping,
  config: { kind: 'fec', sectionSchema: fecSection },
  initSection: {
    ask: "export --format fec: the company's SIREN and fiscal year end; ask the expert-comptable for the PCG numbers of mappings/fec.yaml",
    example: `  fec:                                  # export --format fec; an illustrative SIREN, the company's is yours
    siren: "123456789"                  # names the file <SIREN>FEC<AAAAMMJJ>.txt
    fiscalYearEnd: "12-31"              # the fiscal year's closing day, MM-DD
`,
  },
  exportFormat: {
    description: 'the French Fichier des Écritures Comptables of a fiscal year (tab-separated, ISO 8859-15)',
    fileExtension: 'txt',
    charset: 'iso-8859-15',
    mediaType: 'text/plain',
    // <SIREN>FEC<AAAAMMJJ>.txt, the date the fiscal year's closing.
    fileName: (request) => `${fecSectionOf(request.config).siren}FEC${request.fiscalYear!.end.replaceAll('-', '')}.txt`,
    fiscalYearEnd: (config) => (config.destinations['fec'] as FecSection | undefined)?.fiscalYearEnd ?? '12-31',
    async write(reads, request, out, endOut) {
      fecSectionOf(request.config);
      const file = await fecFile(reads, request);
      out.write(file.bytes);
      if (endOut) {
        out.end();
        await finished(out);
      }
      const year = request.fiscalYear!;
      const what = file.wholeYear
        ? `the FEC of the fiscal year ${year.start}…${year.end}`
        : `a FEC of the window ${request.from ?? year.start}…${request.to ?? year.end} only, ` +
          `not the whole fiscal year ${year.start}…${year.end} an auditor receives`;
      return `${what}: ${file.ecritures} écritures, ${file.lines} lines, ISO 8859-15`;
    },
  },
};
