import { randomUUID } from 'node:crypto';
import { reply, startLocalServer, type LocalServer } from '../http/local-server.js';

/**
 * A Healthchecks-compatible ping receiver on 127.0.0.1, for one check: `/ping/<uuid>` (success), `/start`, `/fail`
 * and `/<exit-status>` (0–255, non-zero a failure), `?rid=<uuid>` pairing a start with its end, the body kept up
 * to the self-hosted default limit (PING_BODY_LIMIT, 10,000 bytes). Its status is Healthchecks' own logic: a check
 * is down once a failure arrives, once a start waits longer than the grace time for its end, or once no success
 * has arrived within period plus grace of the last one. The clock is the test's, so no test sleeps.
 */

export const PING_BODY_LIMIT = 10_000;

export interface ReceivedPing {
  kind: 'start' | 'success' | 'fail';
  exitStatus: number | undefined;
  rid: string | undefined;
  body: string;
  atMs: number;
}

export type CheckStatus = { state: 'new' | 'up' | 'started' } | { state: 'down'; why: string };

export interface HealthchecksReceiver {
  /** The check's ping URL, its UUID the secret path segment. */
  pingUrl: string;
  uuid: string;
  pings: ReceivedPing[];
  /** Requests refused (a malformed rid, an unknown check): Healthchecks answers them 400/404 and records nothing. */
  refused: string[];
  status(nowMs: number): CheckStatus;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function startHealthchecksReceiver(check: {
  periodMs: number;
  graceMs: number;
  now: () => number;
}): Promise<HealthchecksReceiver> {
  const uuid = randomUUID();
  const pings: ReceivedPing[] = [];
  const refused: string[] = [];
  const server: LocalServer = await startLocalServer((request, response) => {
    const url = new URL(request.url, 'http://receiver');
    const [, ping, id, action, ...rest] = url.pathname.split('/');
    const rid = url.searchParams.get('rid') ?? undefined;
    const parsed = ping === 'ping' && id === uuid && rest.length === 0 ? pingOf(action) : undefined;
    if (parsed === undefined || (rid !== undefined && !UUID.test(rid))) {
      refused.push(request.url);
      reply(response, parsed === undefined ? 404 : 400, parsed === undefined ? 'not found' : 'invalid uuid', {
        'content-type': 'text/plain',
      });
      return;
    }
    pings.push({ ...parsed, rid, body: request.body.slice(0, PING_BODY_LIMIT), atMs: check.now() });
    reply(response, 200, 'OK', { 'content-type': 'text/plain' });
  });
  return {
    pingUrl: `${server.url}/ping/${uuid}`,
    uuid,
    pings,
    refused,
    status: (nowMs) => statusOf(pings, check, nowMs),
    close: server.close,
  };
}

function pingOf(action: string | undefined): Pick<ReceivedPing, 'kind' | 'exitStatus'> | undefined {
  if (action === undefined || action === '') return { kind: 'success', exitStatus: undefined };
  if (action === 'start') return { kind: 'start', exitStatus: undefined };
  if (action === 'fail') return { kind: 'fail', exitStatus: undefined };
  if (!/^\d{1,3}$/.test(action) || Number(action) > 255) return undefined;
  const exitStatus = Number(action);
  return { kind: exitStatus === 0 ? 'success' : 'fail', exitStatus };
}

function statusOf(
  pings: readonly ReceivedPing[],
  check: { periodMs: number; graceMs: number },
  nowMs: number,
): CheckStatus {
  const ends = pings.filter((ping) => ping.kind !== 'start');
  const lastEnd = ends[ends.length - 1];
  if (lastEnd?.kind === 'fail')
    return { state: 'down', why: `the last run ended with exit status ${lastEnd.exitStatus ?? 'fail'}` };
  const open = pings.filter(
    (ping) => ping.kind === 'start' && !ends.some((end) => end.rid === ping.rid && end.atMs >= ping.atMs),
  );
  const waiting = open[open.length - 1];
  if (waiting !== undefined && nowMs > waiting.atMs + check.graceMs)
    return { state: 'down', why: 'a run started and never reported its end' };
  if (lastEnd === undefined) return { state: waiting === undefined ? 'new' : 'started' };
  if (nowMs > lastEnd.atMs + check.periodMs + check.graceMs)
    return { state: 'down', why: 'no success ping within period plus grace' };
  return { state: waiting === undefined ? 'up' : 'started' };
}
