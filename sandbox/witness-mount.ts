import type { SandboxMount } from './mount.js';
import { jsonReply, writeReply } from './simulated-service.js';

export const WITNESS_PREFIX = '/witness';

/** A ledger's name in the witness's path: what one ledger's configuration writes as `witness.url`'s last segment. */
const LEDGER_NAME = /^\/([A-Za-z0-9._-]{1,100})$/;

/**
 * The witness the machine does not hold (issue 73), as the sandbox serves it: one append-only log per ledger name,
 * `POST /witness/NAME` appending one JSON record (as the witness file keeps it, a line), `GET /witness/NAME` giving
 * every record, a line each. Nothing rewrites or removes a record (any other method is 405). A token in the query
 * (`?token=…`) is accepted as a real witness service would require one. Example: two runs POST heads 96 and 97 to
 * /witness/books → GET /witness/books answers those two lines, in that order.
 */
export function createWitnessMount(): SandboxMount {
  const logs = new Map<string, string[]>();
  return {
    prefix: WITNESS_PREFIX,
    handle(request, response, subPath, body) {
      const name = LEDGER_NAME.exec(subPath)?.[1];
      if (name === undefined) {
        writeReply(response, jsonReply(404, { error: 'the witness is at /witness/NAME (one log per ledger)' }));
        return;
      }
      const log = logs.get(name) ?? [];
      if (request.method === 'GET') {
        writeReply(response, {
          status: 200,
          contentType: 'application/x-ndjson',
          body: log.map((line) => `${line}\n`).join(''),
        });
        return;
      }
      if (request.method !== 'POST') {
        writeReply(
          response,
          jsonReply(
            405,
            { error: 'the witness is append-only: GET reads it, POST appends one record' },
            { allow: 'GET, POST' },
          ),
        );
        return;
      }
      const record = parsedObject(body.toString('utf8'));
      if (record === undefined) {
        writeReply(response, jsonReply(400, { error: 'the body must be one JSON object (a witness record)' }));
        return;
      }
      logs.set(name, [...log, JSON.stringify(record)]);
      writeReply(response, jsonReply(201, { records: log.length + 1 }));
    },
  };
}

function parsedObject(text: string): object | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
