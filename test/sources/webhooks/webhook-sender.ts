import { createHmac } from 'node:crypto';
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

/** What a sender puts in the signature header: signWebhookBody("s3cret", "{}") === "sha256=…" (64 hex digits). */
export function signWebhookBody(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  json: unknown;
}

export interface Delivery {
  method?: string;
  body?: Uint8Array | string;
  headers?: Record<string, string>;
  /** Sends the body in pieces without a Content-Length (Transfer-Encoding: chunked). */
  chunked?: boolean;
  agent?: Agent;
  /** Called as soon as the status line and headers arrive, before the body is read. */
  onHeaders?: (status: number) => void;
}

/** One request with node:http; an error after the answer arrived (a reset upload) does not matter. */
export function deliver(url: string, delivery: Delivery = {}): Promise<Answer> {
  const body = delivery.body === undefined ? undefined : Buffer.from(delivery.body);
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = request(url, {
      method: delivery.method ?? 'POST',
      headers: {
        'content-type': 'application/json',
        ...(body !== undefined && !delivery.chunked ? { 'content-length': String(body.length) } : {}),
        ...delivery.headers,
      },
      ...(delivery.agent ? { agent: delivery.agent } : {}),
    });
    outgoing.on('response', (response) => {
      answered = true;
      delivery.onHeaders?.(response.statusCode ?? 0);
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          json: text === '' ? undefined : JSON.parse(text),
        });
      });
      response.on('error', reject);
    });
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (body !== undefined && delivery.chunked) {
      const piece = 16 * 1024;
      for (let offset = 0; offset < body.length; offset += piece) outgoing.write(body.subarray(offset, offset + piece));
      outgoing.end();
    } else outgoing.end(body);
  });
}

/** Writes raw request bytes on a socket and returns the first line of what comes back (the server then closes). */
export function rawExchange(url: string, head: string, bodyStart: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head + bodyStart));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8').split('\r\n')[0] ?? ''));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}
