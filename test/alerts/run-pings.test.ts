import { afterEach, describe, expect, it } from 'vitest';
import { createRunPinger, PING_BODY_MAX_CHARS } from '../../src/alerts/run-pings.js';
import { redactSecrets } from '../../src/config/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createFakeClock } from '../http/fake-clock.js';
import { reply, startLocalServer, type LocalServer } from '../http/local-server.js';

const servers: LocalServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function pingerAt(status: number, secrets: (url: string) => string[]) {
  const server = await startLocalServer((_request, response) =>
    reply(response, status, 'OK', { 'content-type': 'text/plain' }),
  );
  servers.push(server);
  const url = `${server.url}/ping/7d2b1c9e-5f4a-4b3c-8e2d-1a0f9c8b7e6d`;
  const redact = (text: string) => redactSecrets(text, secrets(url));
  const lines: string[] = [];
  const logger = createLogger({
    format: 'json',
    level: 'debug',
    write: (line) => lines.push(line),
    redact,
    clock: () => new Date(0),
    color: false,
  });
  return { server, lines, pinger: createRunPinger({ url, logger, redact, clock: createFakeClock() }) };
}

describe('monitor pings', () => {
  it('the end ping carries the run id of its start and a body with the secrets redacted, cut to its limit', async () => {
    const { server, pinger } = await pingerAt(200, () => ['key-4f1e9a']);
    const rid = await pinger.start();
    await pinger.end(rid, 3, `sync failed: key-4f1e9a refused ${'x'.repeat(2 * PING_BODY_MAX_CHARS)}`);
    expect(server.received.map((request) => `${request.method} ${request.url.replace(/^\/ping\/[^/]+/, '')}`)).toEqual([
      `POST /start?rid=${rid}`,
      `POST /3?rid=${rid}`,
    ]);
    expect(server.received[1]!.body.startsWith('sync failed: [redacted] refused x')).toBe(true);
    expect(server.received[1]!.body).toHaveLength(PING_BODY_MAX_CHARS);
  });

  it('an endpoint answering 503 is tried twice per ping, never throws, and is warned about once, naming only the host', async () => {
    const { server, lines, pinger } = await pingerAt(503, (url) => [url]);
    await pinger.end(await pinger.start(), 0, 'sync as of 2026-04-02: ok (exit 0)');
    expect(server.received).toHaveLength(4);
    const warnings = lines
      .map((line) => JSON.parse(line) as { level: string; message: string })
      .filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(`monitor ping to ${new URL(server.url).host} not delivered`);
    expect(lines.join('\n')).not.toContain('7d2b1c9e-5f4a-4b3c-8e2d-1a0f9c8b7e6d');
  });
});
