import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../../../src/errors.js';
import { isoInstant } from '../../../src/kinds/panel/orders-file-date.js';
import { streamOrdersFile, unusableOrdersFile } from '../../../src/kinds/panel/orders-file-reading.js';
import { parseOrdersFile, readOrdersFile } from '../../support/orders-file-text.js';

describe('orders file', () => {
  it('reads good rows and reports each bad row with its line, skipping only that row', () => {
    const text = [
      'order_id,service,quantity,created_at',
      '23501,1,1000,2026-03-02',
      '23502,2,,2026-03-02T10:30:00+02:00',
      '23503,3,abc,2026-03-02',
      'ord_01HG,4,500,',
      '23504,,10,2026-03-02',
      '23505,5,10,2026-02-30',
      '23501,1,1000,2026-03-03',
      '23506,6,10',
      '',
      '23507,7,0,2026-03-02T23:59:59Z',
      '23508,8,"25",2026-03-02 08:00',
    ].join('\n');
    const reading = parseOrdersFile(text, 'orders.csv');
    expect(reading.orders).toEqual([
      { orderId: '23501', service: '1', quantity: 1000n, createdAt: '2026-03-02T00:00:00.000Z' },
      { orderId: '23502', service: '2', quantity: undefined, createdAt: '2026-03-02T08:30:00.000Z' },
      { orderId: 'ord_01HG', service: '4', quantity: 500n, createdAt: undefined },
      { orderId: '23508', service: '8', quantity: 25n, createdAt: '2026-03-02T08:00:00.000Z' },
    ]);
    expect(reading.problems).toEqual([
      {
        file: 'orders.csv',
        line: 4,
        path: 'line 4',
        message: 'order 23503: quantity must be a whole number above 0, got "abc"',
      },
      { file: 'orders.csv', line: 6, path: 'line 6', message: 'order 23504: service is empty' },
      {
        file: 'orders.csv',
        line: 7,
        path: 'line 7',
        message:
          'order 23505: created_at must be a date such as 2026-03-14, 14.03.2026 or 14/03/2026, or an ISO 8601 date-time, got "2026-02-30"',
      },
      { file: 'orders.csv', line: 8, path: 'line 8', message: 'order 23501 is already listed on line 2' },
      { file: 'orders.csv', line: 9, path: 'line 9', message: 'the row "23506,6,10" has 3 fields; the header has 4' },
      {
        file: 'orders.csv',
        line: 11,
        path: 'line 11',
        message: 'order 23507: quantity must be a whole number above 0, got "0"',
      },
    ]);
    expect(reading.headerUsable).toBe(true);
  });

  it('reads the date forms spreadsheets write when they can be read one way only, and refuses an ambiguous one by its order id', () => {
    const text = [
      'order_id,service,quantity,created_at',
      '90001,1,10,14/03/2026',
      '90002,1,10,03/14/2026 10:30',
      '90003,1,10,14.03.2026',
      '90004,1,10,2026/03/14',
      '90005,1,10,03/04/2026',
      '90006,1,10,31/02/2026',
    ].join('\n');
    const reading = parseOrdersFile(text, 'orders.csv');
    expect(reading.orders.map((order) => [order.orderId, order.createdAt])).toEqual([
      ['90001', '2026-03-14T00:00:00.000Z'],
      ['90002', '2026-03-14T10:30:00.000Z'],
      ['90003', '2026-03-14T00:00:00.000Z'],
      ['90004', '2026-03-14T00:00:00.000Z'],
    ]);
    expect(reading.problems.map((problem) => problem.message)).toEqual([
      'order 90005: created_at 03/04/2026 could be 3 April or 4 March; write it as 2026-04-03 or 2026-03-04',
      'order 90006: created_at must be a date such as 2026-03-14, 14.03.2026 or 14/03/2026, or an ISO 8601 date-time, got "31/02/2026"',
    ]);
  });

  it('takes a file with only the required columns, in any order, with a byte-order mark', () => {
    const reading = parseOrdersFile('\ufeffservice,order_id\r\n1,23501\r\n2,23502\r\n', 'orders.csv');
    expect(reading).toEqual({
      orders: [
        { orderId: '23501', service: '1', quantity: undefined, createdAt: undefined },
        { orderId: '23502', service: '2', quantity: undefined, createdAt: undefined },
      ],
      problems: [],
      headerUsable: true,
    });
  });

  it('names the file when the header lacks a required column, and reads nothing', () => {
    const reading = parseOrdersFile('id,service\n1,2\n', 'exports/orders.csv');
    expect(reading).toEqual({
      orders: [],
      problems: [
        {
          file: 'exports/orders.csv',
          line: 1,
          path: 'line 1',
          message:
            'the header has no order_id column; expected order_id,service,quantity,created_at (quantity and created_at optional)',
        },
      ],
      headerUsable: false,
    });
    expect(new ConfigError(reading.problems).message).toBe(
      'configuration error: exports/orders.csv at line 1: the header has no order_id column; expected order_id,service,quantity,created_at (quantity and created_at optional)',
    );
  });

  it('reports an unknown column but still reads the rows', () => {
    const reading = parseOrdersFile('order_id,service,quantty\n1,2,3\n', 'orders.csv');
    expect(reading.orders).toEqual([{ orderId: '1', service: '2', quantity: undefined, createdAt: undefined }]);
    expect(reading.problems.map((problem) => problem.message)).toEqual([
      'unknown column quantty ignored; expected order_id,service,quantity,created_at',
    ]);
  });

  it('reports an empty file', () => {
    expect(parseOrdersFile('', 'orders.csv').problems.map((problem) => problem.message)).toEqual([
      'the file is empty; expected the header order_id,service,quantity,created_at',
    ]);
  });

  it('reports broken CSV quoting with its line and still reads the rows after it', () => {
    const reading = parseOrdersFile('order_id,service\n1,2\n3,"4"x\n5,6\n', 'orders.csv');
    expect(reading.orders.map((order) => order.orderId)).toEqual(['1', '5']);
    expect(reading.problems).toEqual([
      {
        file: 'orders.csv',
        line: 3,
        path: 'line 3',
        message: 'cannot read the row "3,\\"4\\"x": a quote is closed in the middle of a field',
      },
    ]);
  });

  describe('reading from disk', () => {
    let dir: string | undefined;
    afterEach(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it('reads a file and names it in problems', async () => {
      dir = await mkdtemp(join(tmpdir(), 'ledgerline-orders-'));
      const path = join(dir, 'orders.csv');
      await writeFile(path, 'order_id,service\n1,2\nx y,3\n');
      const reading = await readOrdersFile(path);
      expect(reading.orders).toEqual([{ orderId: '1', service: '2', quantity: undefined, createdAt: undefined }]);
      expect(reading.problems).toEqual([
        {
          file: path,
          line: 3,
          path: 'line 3',
          message: 'order_id must be one word without spaces, commas or control characters',
        },
      ]);
    });

    it('streams a file in batches as readOrdersFile reads it, and finds an unusable header as readOrdersFile lists it', async () => {
      dir = await mkdtemp(join(tmpdir(), 'ledgerline-orders-'));
      const path = join(dir, 'orders.csv');
      // More than one piece of the file (1 MiB) and more than one batch.
      const rows = Array.from(
        { length: 50_001 },
        (_, index) => `${index + 1},1,${index % 3 === 0 ? '' : 100},2026-03-0${1 + (index % 9)}`,
      );
      await writeFile(path, `\ufefforder_id,service,quantity,created_at\r\n${rows.join('\r\n')}\nbad id,1,1,\n`);
      const batches: number[] = [];
      const streamed: unknown[] = [];
      const verdict = await streamOrdersFile(path, async (orders) => {
        batches.push(orders.length);
        streamed.push(...orders);
      });
      const read = await readOrdersFile(path);
      expect(batches).toEqual([...Array.from({ length: 10 }, () => 5_000), 1]);
      expect({ orders: streamed, ...verdict }).toEqual(parseOrdersFile(await readFile(path, 'utf8'), path));
      expect(read).toEqual(parseOrdersFile(await readFile(path, 'utf8'), path));
      expect(await unusableOrdersFile(path)).toBeUndefined();

      const headerless = join(dir, 'headerless.csv');
      await writeFile(headerless, 'id,service\n1,"2\n');
      expect(await unusableOrdersFile(headerless)).toEqual((await readOrdersFile(headerless)).problems);
      expect((await readOrdersFile(headerless)).headerUsable).toBe(false);
    });

    it('refuses a missing file with a ConfigError naming it', async () => {
      dir = await mkdtemp(join(tmpdir(), 'ledgerline-orders-'));
      const path = join(dir, 'nope.csv');
      await expect(readOrdersFile(path)).rejects.toThrow(
        new ConfigError([{ file: path, path: '', message: 'no such file' }]).message,
      );
    });
  });
});

describe('created_at', () => {
  it('normalises dates and date-times to instants, UTC when no offset', () => {
    expect(
      [
        '2026-03-02',
        '2026-03-02T10:30',
        '2026-03-02T10:30:15.5',
        '2026-03-02T10:30:00-05:30',
        '2026-03-02T00:15:00+0100',
        '2024-02-29T12:00:00z',
      ].map(isoInstant),
    ).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-02T10:30:00.000Z',
      '2026-03-02T10:30:15.500Z',
      '2026-03-02T16:00:00.000Z',
      '2026-03-01T23:15:00.000Z',
      '2024-02-29T12:00:00.000Z',
    ]);
  });

  it('refuses impossible or foreign forms', () => {
    expect(
      ['2026-13-01', '2026-02-29', '2026-03-02T24:00', '02/03/2026', '2026-03-02T10:30:00+25:00', '1772409600', ''].map(
        isoInstant,
      ),
    ).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('lines without quotes', () => {
  const padding = fc.array(fc.constantFrom(' ', '\t', '\f'), { maxLength: 2 }).map((chars) => chars.join(''));
  const field = fc.tuple(padding, fc.stringMatching(/^[A-Za-z0-9:+.-]{0,12}$/), padding);

  it('are read exactly as csv-parse reads the same fields quoted (the fast path changes nothing)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const header = 'order_id,service,quantity,created_at';
        // A blank line is skipped before it is parsed at all; its quoted form "" is a row.
        fc.pre(
          rows.every((row) =>
            row.some(([before, text, after]) => `${before}${text}${after}`.trim() !== '' || row.length > 1),
          ),
        );
        const plain = [
          header,
          ...rows.map((row) => row.map(([before, text, after]) => `${before}${text}${after}`).join(',')),
        ].join('\n');
        const quoted = [
          header,
          ...rows.map((row) => row.map(([before, text, after]) => `${before}"${text}"${after}`).join(',')),
        ].join('\n');
        expect(parseOrdersFile(plain, 'orders.csv')).toEqual(parseOrdersFile(quoted, 'orders.csv'));
      }),
      { numRuns: 300 },
    );
  });

  it('a plain date is midnight UTC, and an impossible one is refused, as for a date-time', () => {
    expect(
      ['2024-02-29', '2026-02-29', '2026-04-31', '2026-12-31', '2000-02-29', '1900-02-29'].map(isoInstant),
    ).toEqual([
      '2024-02-29T00:00:00.000Z',
      undefined,
      undefined,
      '2026-12-31T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      undefined,
    ]);
  });
});
