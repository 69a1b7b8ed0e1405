import { z } from 'zod';
import { destinationMappingOf, type DestinationMappingKind, type Mappings } from '../../config/index.js';

/** `destinations.fec`: the company as the tax authority knows it, and where its fiscal years end. */
export const fecSection = z.strictObject({
  /** The company's SIREN, 9 digits: the file is named by it. */
  siren: z
    .union([z.string(), z.number().int().nonnegative()])
    .transform(String)
    .pipe(z.string().regex(/^\d{9}$/, 'must be the SIREN, 9 digits')),
  /** The fiscal year's last day, MM-DD: the file is named by the closing date. */
  fiscalYearEnd: z
    .string()
    .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a day of the year, MM-DD, such as "12-31"')
    .default('12-31'),
});
export type FecSection = z.output<typeof fecSection>;

const pcgNumber = z.string().regex(/^\d{3,}[0-9A-Z]*$/, 'must be a Plan comptable général number such as "512000"');

/** mappings/fec.yaml: each ledger account's PCG number, the journal entries go to, and where opening results go. */
const fecMappingFile = z.strictObject({
  accounts: z.record(z.string(), z.unknown()),
  /** The journal of the ledger's entries (JournalCode, JournalLib). */
  journal: z.strictObject({ code: z.string().regex(/^[A-Za-z0-9]{1,10}$/), label: z.string().min(1) }).prefault({
    code: 'OD',
    label: 'Opérations diverses',
  }),
  /** The à-nouveaux: their journal, and the account earlier years' results are carried to (report à nouveau). */
  opening: z
    .strictObject({
      code: z.string().regex(/^[A-Za-z0-9]{1,10}$/),
      label: z.string().min(1),
      resultAccount: pcgNumber,
      resultLabel: z.string().min(1),
    })
    .prefault({ code: 'AN', label: 'A nouveaux', resultAccount: '110000', resultLabel: 'Report à nouveau' }),
});

/** One ledger account under `accounts:` in mappings/fec.yaml. */
const fecMappingAccount = z.strictObject({
  /** CompteNum, the PCG number: "512000" a bank, "706000" services sold. */
  account: pcgNumber,
  /** CompteLib; the chart's name when left out. */
  label: z.string().min(1).optional(),
});

export const fecMapping: DestinationMappingKind<typeof fecMappingFile, typeof fecMappingAccount> = {
  kind: 'fec',
  fileName: 'fec.yaml',
  title: 'FEC',
  fileSchema: fecMappingFile,
  accountSchema: fecMappingAccount,
};

export function fecMappingOf(mappings: Pick<Mappings, 'destinations'>) {
  return destinationMappingOf(mappings, fecMapping);
}
