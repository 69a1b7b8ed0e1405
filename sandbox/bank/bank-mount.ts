import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { isCalendarDate } from '../../src/calendar/index.js';
import type { SandboxMount } from '../mount.js';
import type { SandboxRuntime } from '../sandbox-runtime.js';
import { jsonReply, writeReply, type Reply } from '../simulated-service.js';
import { camt053Text, csvStatementText, ofxText, type SandboxStatement } from './statement-writers.js';
import { worldBankStatement } from './world-bank.js';

export const BANK_PREFIX = '/bank';
/** The formats the bank writes: camt.053.001.08, OFX 2.2 XML, OFX 1.0.2 SGML, CSV. */
export const BANK_FORMATS = ['camt053', 'ofx', 'ofx1', 'csv'] as const;

const IsoDate = z.string().refine(isCalendarDate, 'expected a calendar date YYYY-MM-DD');
const StatementQuery = z.strictObject({
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  format: z.enum(BANK_FORMATS).default('camt053'),
});

const WRITERS: Record<
  (typeof BANK_FORMATS)[number],
  { type: string; extension: string; text: (statement: SandboxStatement) => string }
> = {
  camt053: { type: 'application/xml', extension: 'camt053.xml', text: camt053Text },
  ofx: { type: 'application/x-ofx', extension: 'ofx', text: (statement) => ofxText(statement, 2) },
  ofx1: { type: 'application/x-ofx', extension: 'ofx', text: (statement) => ofxText(statement, 1) },
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv', text: csvStatementText },
};

/**
 * The sandbox's bank: `GET /bank/statement?from=YYYY-MM-DD&to=YYYY-MM-DD&format=camt053|ofx|ofx1|csv` answers
 * the world's bank statement for those days (world-bank.ts), as a download named `<account>-<to>.<format>`.
 * `to` defaults to the sandbox's day and may not pass it (the bank has not booked tomorrow); `from` to the first
 * of `to`'s month, and not before the world's first day. Example: ?from=2026-03-01&to=2026-03-31&format=csv.
 */
export function createBankMount(runtime: SandboxRuntime): SandboxMount {
  return {
    prefix: BANK_PREFIX,
    handle(request: IncomingMessage, response: ServerResponse, subPath: string) {
      writeReply(response, bankReply(runtime, request, subPath));
    },
  };
}

function bankReply(runtime: SandboxRuntime, request: IncomingMessage, subPath: string): Reply {
  if (request.method !== 'GET' || subPath !== '/statement')
    return jsonReply(404, {
      error: `the sandbox bank answers GET ${BANK_PREFIX}/statement?from=YYYY-MM-DD&to=YYYY-MM-DD&format=${BANK_FORMATS.join('|')}`,
    });
  const query = StatementQuery.safeParse(
    Object.fromEntries(new URL(request.url ?? '/', 'http://sandbox').searchParams),
  );
  if (!query.success)
    return jsonReply(400, {
      error: query.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    });
  const to = query.data.to ?? runtime.today();
  const from = query.data.from ?? `${to.slice(0, 7)}-01`;
  const refusal =
    to > runtime.today()
      ? `to ${to} is after the sandbox's day ${runtime.today()}: the bank has booked nothing after it`
      : from > to
        ? `from ${from} is after to ${to}`
        : from < runtime.world.start
          ? `from ${from} is before the world's first day ${runtime.world.start}`
          : undefined;
  if (refusal !== undefined) return jsonReply(400, { error: refusal });
  const statement = worldBankStatement(runtime.world, from, to, { advertiserTopUps: runtime.advertiserTopUps });
  const writer = WRITERS[query.data.format];
  return {
    status: 200,
    contentType: writer.type,
    headers: { 'content-disposition': `attachment; filename="${statement.account}-${to}.${writer.extension}"` },
    body: writer.text(statement),
  };
}
