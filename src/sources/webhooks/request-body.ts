import type { IncomingMessage, ServerResponse } from 'node:http';

type BodyReading =
  { kind: 'complete'; body: Buffer } | { kind: 'too-large'; receivedBytes: number } | { kind: 'aborted' };

/**
 * Reads a request body up to `maxBytes`. Past the limit it stops collecting
 * at once (nothing more is held in memory) and says so; the caller then
 * answers with answerUnread, which deals with the rest of the upload.
 */
export function readBoundedBody(request: IncomingMessage, maxBytes: number): Promise<BodyReading> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const settle = (reading: BodyReading): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      resolve(reading);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes) settle({ kind: 'too-large', receivedBytes: received });
      else chunks.push(chunk);
    };
    const onEnd = (): void => settle({ kind: 'complete', body: Buffer.concat(chunks, received) });
    const onClose = (): void => settle({ kind: 'aborted' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('close', onClose);
  });
}

/** What is read and thrown away after a refusal, so that the sender finishes its upload and sees the answer. */
const DRAIN_LIMIT_BYTES = 4 * 1024 * 1024;
const DRAIN_LIMIT_MS = 2_000;

export interface JsonAnswer {
  status: number;
  payload: unknown;
  headers?: Record<string, string>;
}

/**
 * Answers a request whose body has not been (fully) read. Answering at once
 * and closing would reset a sender still uploading, which then never sees
 * why it was refused; reading the rest without a limit would let anyone
 * stream gigabytes at us. So the rest is discarded up to 4 MiB or 2 s (a
 * declared Content-Length beyond that is refused straight away), then the
 * answer goes out with Connection: close and Node closes the socket.
 */
export function answerUnread(request: IncomingMessage, response: ServerResponse, answer: JsonAnswer): void {
  const closing: JsonAnswer = { ...answer, headers: { ...answer.headers, connection: 'close' } };
  if (request.complete || request.destroyed) {
    sendJson(response, closing);
    return;
  }
  let discarded = 0;
  const answerNow = (): void => {
    clearTimeout(deadline);
    request.off('end', answerNow);
    sendJson(response, closing);
  };
  const deadline = setTimeout(answerNow, DRAIN_LIMIT_MS);
  deadline.unref();
  if (declaredLength(request) > DRAIN_LIMIT_BYTES) {
    answerNow();
    return;
  }
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DRAIN_LIMIT_BYTES) answerNow();
  });
  request.once('end', answerNow);
  request.once('close', () => clearTimeout(deadline));
  request.resume();
}

/** The Content-Length the sender announced (0 when absent or unreadable; the reader counts real bytes anyway). */
export function declaredLength(request: IncomingMessage): number {
  const header = request.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : 0;
}

/** Writes a JSON answer once; a second call, or one after the socket went away, does nothing. */
export function sendJson(response: ServerResponse, answer: JsonAnswer): void {
  if (response.headersSent || response.writableEnded || response.destroyed) return;
  const body = JSON.stringify(answer.payload);
  response.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    ...answer.headers,
  });
  response.end(body);
}
