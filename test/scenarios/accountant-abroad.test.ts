import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import type { SyncedWorld, Workspace } from './scenario-harness.js';
import { copiedSyncedWorld } from '../support/built-worlds.js';
import { serveInProcess } from '../support/serve-in-process.js';

/**
 * The sandbox's quick-start books (`init --sandbox-url`, five nights across the March month end) exported as DATEV's
 * Buchungsstapel and as a FEC with no hand edits, each read back by a reader written here from the formats' published
 * rules (DATEV's Formatbeschreibung as restated in shared/notes/accountant-formats-facts.md; LPF art. A47 A-1), not
 * from the writer's code.
 */
const FROM = '2026-03-29';
const TO = '2026-04-02';

/** "-0.90" → -90n: decimal text with a point or a comma to cents, never through a float. */
function cents(text: string): bigint {
  const [whole, fraction = ''] = text.replace(',', '.').replace('-', '').split('.');
  const value = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return text.startsWith('-') ? -value : value;
}

/** One DATEV record: `;`-separated fields, text in double quotes with "" for a quote. */
function datevFields(line: string): string[] {
  const fields: string[] = [];
  let at = 0;
  while (at <= line.length) {
    if (line[at] === '"') {
      let text = '';
      at += 1;
      for (;;) {
        const quote = line.indexOf('"', at);
        if (quote < 0) throw new Error(`unclosed quote in ${line}`);
        text += line.slice(at, quote);
        if (line[quote + 1] === '"') {
          text += '"';
          at = quote + 2;
        } else {
          at = quote + 1;
          break;
        }
      }
      fields.push(text);
      if (at < line.length && line[at] !== ';') throw new Error(`text after a quoted field in ${line}`);
      at += 1;
    } else {
      const end = line.indexOf(';', at);
      fields.push(line.slice(at, end < 0 ? line.length : end));
      at = end < 0 ? line.length + 1 : end + 1;
    }
  }
  return fields;
}

/** Each account's movement over the window by `balances --json` (debits positive), in the cents destinations receive. */
async function ledgerMovements(workspace: Workspace, from: string, to: string): Promise<Map<string, bigint>> {
  const run = await workspace.run(['balances', '--from', from, '--to', to, '--json']);
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as { rows: { account: string; netCents: string }[] };
  const movements = new Map<string, bigint>();
  for (const row of report.rows) movements.set(row.account, (movements.get(row.account) ?? 0n) + cents(row.netCents));
  return new Map([...movements].filter(([, net]) => net !== 0n));
}

/** The ledger account each number of a mapping file stands for. */
function accountsByNumber(workspace: Workspace, file: string): Map<string, string> {
  const mapping = parse(readFileSync(join(workspace.dir, 'mappings', file), 'utf8')) as {
    accounts: Record<string, { account: string }>;
  };
  return new Map(Object.entries(mapping.accounts).map(([key, entry]) => [String(entry.account), key]));
}

function withoutZeros(movements: Map<string, bigint>): Map<string, bigint> {
  return new Map([...movements].filter(([, net]) => net !== 0n).sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe(
  'DATEV and FEC exports of the sandbox quick-start books, read back independently',
  { timeout: 120_000 },
  () => {
    let world: SyncedWorld | undefined;
    let workspace: Workspace;

    beforeAll(async () => {
      world = await copiedSyncedWorld(script, 'accountant-abroad', DAYS);
      ({ workspace } = world);
    }, 120_000);

    afterAll(() => world?.close());

    /** Exports into a fresh folder (the format names the file) and returns the one file written and what was said. */
    const exportInto = async (format: string, name: string, window: string[] = ['--from', FROM, '--to', TO]) => {
      const folder = join(workspace.dir, name);
      mkdirSync(folder, { recursive: true });
      const run = await workspace.run(['export', '--format', format, ...window, '--out', folder]);
      return { run, folder, files: readdirSync(folder) };
    };

    it('writes a DATEV Buchungsstapel whose header, lines and per-account totals are what DATEV reads', async () => {
      const { run, folder, files } = await exportInto('datev', 'datev-1');
      expect(run.code, run.stderr).toBe(0);
      expect(files).toEqual(['EXTF_Buchungsstapel_20260329_20260402.csv']);
      expect(run.stdout).toMatch(/entries, \d+ bookings/);
      const bytes = readFileSync(join(folder, files[0]!));
      const text = new TextDecoder('windows-1252', { fatal: true }).decode(bytes);
      expect(text.endsWith('\r\n')).toBe(true);
      const [header, headings, ...bookings] = text.slice(0, -2).split('\r\n');

      const h = datevFields(header!);
      expect(h).toHaveLength(31);
      expect(h.slice(0, 5)).toEqual(['EXTF', '700', '21', 'Buchungsstapel', '13']);
      // Created at: the sandbox's today (the day after its day, 2026-04-02), from the request's clock.
      expect(h[5]).toBe('20260403000000000');
      expect(h[10]).toBe('1001'); // Berater
      expect(h[11]).toBe('1'); // Mandant
      expect(h[12]).toBe('20260101'); // WJ-Beginn
      expect(h[13]).toBe('4'); // Sachkontenlänge
      expect([h[14], h[15]]).toEqual(['20260329', '20260402']); // Datum vom, bis
      expect(h[16]!.length).toBeGreaterThan(0);
      expect(h[16]!.length).toBeLessThanOrEqual(30); // Bezeichnung
      expect(h[21]).toBe('USD');
      expect(h[26]).toBe('03'); // SKR03

      expect(datevFields(headings!).slice(0, 14)).toEqual([
        'Umsatz (ohne Soll/Haben-Kz)',
        'Soll/Haben-Kennzeichen',
        'WKZ Umsatz',
        'Kurs',
        'Basis-Umsatz',
        'WKZ Basis-Umsatz',
        'Konto',
        'Gegenkonto (ohne BU-Schlüssel)',
        'BU-Schlüssel',
        'Belegdatum',
        'Belegfeld 1',
        'Belegfeld 2',
        'Skonto',
        'Buchungstext',
      ]);

      expect(bookings.length).toBeGreaterThan(10);
      const byNumber = accountsByNumber(workspace, 'datev.yaml');
      const moved = new Map<string, bigint>();
      const move = (number: string, amount: bigint) => {
        const account = byNumber.get(number);
        expect(account, `account ${number} is in datev.yaml`).toBeDefined();
        moved.set(account!, (moved.get(account!) ?? 0n) + amount);
      };
      for (const line of bookings) {
        const [umsatz, side, currency, , , , konto, gegenkonto, , belegdatum, belegfeld, , , buchungstext] =
          datevFields(line);
        expect(umsatz).toMatch(/^\d{1,10},\d{2}$/);
        expect(cents(umsatz!)).toBeGreaterThan(0n);
        expect(side).toMatch(/^[SH]$/);
        expect(currency).toBe('USD');
        expect(konto).toMatch(/^\d{4}$/);
        expect(gegenkonto).toMatch(/^\d{4}$/);
        expect(konto).not.toBe(gegenkonto);
        // Belegdatum DDMM, inside Datum vom…bis (the window lies in 2026).
        expect(belegdatum).toMatch(/^\d{4}$/);
        const date = `2026-${belegdatum!.slice(2)}-${belegdatum!.slice(0, 2)}`;
        expect(date >= FROM && date <= TO, date).toBe(true);
        expect(belegfeld).toMatch(/^[A-Za-z0-9$&%*+\-/]{1,36}$/);
        expect(buchungstext!.length).toBeLessThanOrEqual(60);
        // A pair balances by itself: S debits Konto and credits Gegenkonto by Umsatz, H the other way round.
        const signed = side === 'S' ? cents(umsatz!) : -cents(umsatz!);
        move(konto!, signed);
        move(gegenkonto!, -signed);
      }
      expect(withoutZeros(moved)).toEqual(withoutZeros(await ledgerMovements(workspace, FROM, TO)));
    });

    it('books a daily entry event by event where its events are whole cents', async () => {
      const { folder, files } = await exportInto('datev', 'datev-events');
      const text = new TextDecoder('windows-1252').decode(readFileSync(join(folder, files[0]!)));
      // 03-30: the ad network's earnings of the day, one event of 30.00, its own pair with its event's ref.
      const earnings = text.split('\r\n').filter((line) => line.includes('"3003"') || line.includes(';3003;'));
      expect(earnings.some((line) => /^30,00;"S";"USD";;;;1400;8200;/.test(line))).toBe(true);
    });

    it('writes the same DATEV and FEC bytes for the same window on a second run', async () => {
      for (const format of ['datev', 'fec']) {
        const first = await exportInto(format, `${format}-a`);
        const second = await exportInto(format, `${format}-b`);
        expect(first.files).toEqual(second.files);
        const bytes = readFileSync(join(first.folder, first.files[0]!));
        expect(readFileSync(join(second.folder, second.files[0]!)).equals(bytes), format).toBe(true);
      }
    });

    it("writes the FEC of the fiscal year: 18 fields, continuous numbers, each écriture balanced, the ledger's movements", async () => {
      const { run, folder, files } = await exportInto('fec', 'fec-year', []);
      expect(run.code, run.stderr).toBe(0);
      expect(files).toEqual(['123456789FEC20261231.txt']);
      expect(run.stdout).toContain('the FEC of the fiscal year 2026-01-01…2026-12-31');
      const text = new TextDecoder('iso-8859-15', { fatal: true }).decode(readFileSync(join(folder, files[0]!)));
      const [header, ...rows] = text.split(/\r?\n/).filter((line) => line !== '');
      expect(header!.split('\t')).toEqual([
        'JournalCode',
        'JournalLib',
        'EcritureNum',
        'EcritureDate',
        'CompteNum',
        'CompteLib',
        'CompAuxNum',
        'CompAuxLib',
        'PieceRef',
        'PieceDate',
        'EcritureLib',
        'Debit',
        'Credit',
        'EcritureLet',
        'DateLet',
        'ValidDate',
        'Montantdevise',
        'Idevise',
      ]);
      const byNumber = accountsByNumber(workspace, 'fec.yaml');
      const balance = new Map<string, bigint>();
      const moved = new Map<string, bigint>();
      const numbers: number[] = [];
      for (const row of rows) {
        const f = row.split('\t');
        expect(f).toHaveLength(18);
        const [journal, , num, ecritureDate, compte, compteLib, , , pieceRef, pieceDate, lib, debit, credit] = f;
        expect(journal).toBe('OD'); // no entry before the year: no à-nouveaux
        expect(num).toMatch(/^[1-9]\d*$/);
        if (numbers.at(-1) !== Number(num)) numbers.push(Number(num));
        for (const date of [ecritureDate, pieceDate, f[15]])
          expect(date).toMatch(/^2026(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/);
        expect(f[15]! >= ecritureDate!).toBe(true); // validated on or after its date
        expect(compte).toMatch(/^\d{6}$/);
        expect(compteLib!.length).toBeGreaterThan(0);
        expect(pieceRef!.length).toBeGreaterThan(0);
        expect(lib!.length).toBeGreaterThan(0);
        expect(debit).toMatch(/^\d+,\d{2}$/);
        expect(credit).toMatch(/^\d+,\d{2}$/);
        expect([f[16], f[17]]).toEqual(['', '']); // every line in the books' currency
        const signed = cents(debit!) - cents(credit!);
        balance.set(num!, (balance.get(num!) ?? 0n) + signed);
        const account = byNumber.get(compte!);
        expect(account, `CompteNum ${compte} is in fec.yaml`).toBeDefined();
        moved.set(account!, (moved.get(account!) ?? 0n) + signed);
      }
      // EcritureNum 1, 2, 3, … each once, in order, and each écriture balanced.
      expect(numbers).toEqual(numbers.map((_, at) => at + 1));
      for (const [num, net] of balance) expect(net, `EcritureNum ${num}`).toBe(0n);
      expect(withoutZeros(moved)).toEqual(withoutZeros(await ledgerMovements(workspace, '2026-01-01', '2026-12-31')));
    });

    it('says a window that is not the whole fiscal year, and opens it with the à-nouveaux of the days before', async () => {
      const { run, folder, files } = await exportInto('fec', 'fec-window', ['--from', '2026-04-01', '--to', TO]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('a FEC of the window 2026-04-01…2026-04-02 only');
      const rows = readFileSync(join(folder, files[0]!), 'latin1')
        .split('\r\n')
        .slice(1, -1)
        .map((row) => row.split('\t'));
      const opening = rows.filter((row) => row[0] === 'AN');
      expect(opening.length).toBeGreaterThan(0);
      expect(rows.slice(0, opening.length)).toEqual(opening); // the à-nouveaux first
      expect(opening.every((row) => row[2] === '1' && row[3] === '20260401')).toBe(true);
      // The à-nouveaux carry each account's balance at the end of 03-31.
      const byNumber = accountsByNumber(workspace, 'fec.yaml');
      const carried = new Map<string, bigint>();
      for (const row of opening) {
        const account = byNumber.get(row[4]!)!;
        carried.set(account, (carried.get(account) ?? 0n) + cents(row[11]!) - cents(row[12]!));
      }
      expect(withoutZeros(carried)).toEqual(withoutZeros(await ledgerMovements(workspace, FROM, '2026-03-31')));
    });

    it('refuses a booked account without a DATEV or FEC number before any file is written, naming it and the file', async () => {
      for (const [format, file] of [
        ['datev', 'datev.yaml'],
        ['fec', 'fec.yaml'],
      ] as const) {
        const path = join(workspace.dir, 'mappings', file);
        const kept = readFileSync(path, 'utf8');
        writeFileSync(path, kept.replace(/^ {2}panel_prepaid: .*\n/m, ''));
        try {
          const { run, files } = await exportInto(format, `${format}-unmapped`);
          expect(run.code).toBe(2);
          expect(run.stderr).toContain(file);
          expect(run.stderr).toContain('panel_prepaid');
          expect(files).toEqual([]);
        } finally {
          writeFileSync(path, kept);
        }
      }
    });

    it("refuses a datev.yaml number of another length than the header's Sachkontenlänge before any file is written", async () => {
      const path = join(workspace.dir, 'mappings', 'datev.yaml');
      const kept = readFileSync(path, 'utf8');
      const number = /^ {2}panel_prepaid: .*account: "?(\d+)"?/m.exec(kept)![1]!;
      // One digit more than the header's 4, and not marked personal: a G/L number DATEV would read as another account.
      writeFileSync(
        path,
        kept.replace(/^( {2}panel_prepaid: .*account: "?\d+)/m, (line) => `${line}0`),
      );
      try {
        const { run, files } = await exportInto('datev', 'datev-length');
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('datev.yaml at accounts.panel_prepaid');
        expect(run.stderr).toContain(`"${number}0" has 5 digits`);
        expect(run.stderr).toContain('Sachkontenlänge');
        expect(files).toEqual([]);
      } finally {
        writeFileSync(path, kept);
      }
    });

    it("serves each download with the format's media type, charset and file name", async () => {
      const serve = await serveInProcess(['--port', '0'], { cwd: workspace.dir, env: workspace.env });
      try {
        const datev = await fetch(`${serve.url}export?format=datev&from=${FROM}&to=${TO}`);
        expect(datev.status).toBe(200);
        expect(datev.headers.get('content-type')).toBe('text/csv; charset=windows-1252');
        expect(datev.headers.get('content-disposition')).toBe(
          'attachment; filename="EXTF_Buchungsstapel_20260329_20260402.csv"',
        );
        const datevFile = await exportInto('datev', 'datev-console');
        expect(
          Buffer.from(await datev.arrayBuffer()).equals(readFileSync(join(datevFile.folder, datevFile.files[0]!))),
        ).toBe(true);
        const fec = await fetch(`${serve.url}export?format=fec&from=2026-01-01&to=2026-12-31`);
        expect(fec.status).toBe(200);
        expect(fec.headers.get('content-type')).toBe('text/plain; charset=iso-8859-15');
        expect(fec.headers.get('content-disposition')).toBe('attachment; filename="123456789FEC20261231.txt"');
      } finally {
        await serve.stop();
      }
    });

    it("opens a fiscal year's FEC with the à-nouveaux: earlier years' results carried to the report à nouveau", async () => {
      const adjust = await workspace.run([
        'adjust',
        '--date',
        '2025-12-31',
        '--debit',
        'payelancer_receivable=100.00',
        '--credit',
        'ad_revenue=100.00',
        '--reason',
        'earnings of 2025',
      ]);
      expect(adjust.code, adjust.stderr).toBe(0);
      const { run, folder, files } = await exportInto('fec', 'fec-opened', []);
      expect(run.code, run.stderr).toBe(0);
      const rows = readFileSync(join(folder, files[0]!), 'latin1')
        .split('\r\n')
        .slice(1, -1)
        .map((row) => row.split('\t'));
      const opening = rows.filter((row) => row[0] === 'AN');
      expect(rows.slice(0, opening.length)).toEqual(opening);
      // 411000 opens with the 100.00 owed, 706000 (revenue) with nothing: 2025's result is in 110000.
      expect(opening.map((row) => [row[2], row[3], row[4], row[11], row[12]])).toEqual([
        ['1', '20260101', '411000', '100,00', '0,00'],
        ['1', '20260101', '110000', '0,00', '100,00'],
      ]);
      expect(rows.find((row) => row[0] === 'OD')![2]).toBe('2');
    });

    it('refuses by name text that Windows-1252 cannot hold, and writes nothing', async () => {
      const adjust = await workspace.run([
        'adjust',
        '--date',
        TO,
        '--debit',
        'smm_services_expense=1.00',
        '--credit',
        'suspense=1.00',
        '--reason',
        'Gebühr 1 € ✓ checked',
      ]);
      expect(adjust.code, adjust.stderr).toBe(0);
      const { run, files } = await exportInto('datev', 'datev-refused');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('"✓" (U+2713)');
      expect(run.stderr).toContain('Windows-1252'.toLowerCase());
      expect(files).toEqual([]);
    });
  },
);
