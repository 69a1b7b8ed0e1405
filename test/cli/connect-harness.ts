import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { expect } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { packageMappingsDir } from '../../src/config/index.js';
import type { RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import type { RunningXeroFake } from '../../sandbox/xero/fake.js';
import { refuseBugReport } from '../support/cli.js';
import { SECRETS, type CliRun } from './post-cli-harness.js';

/**
 * `ledgerline connect` as a person runs it: a workspace whose configuration
 * names only the app (no tenantId, realmId or refreshToken) and every endpoint
 * of the fakes, connect run in process with a stdin the test types into (paste mode), and
 * the consent page answered over plain HTTP where no browser is the subject.
 */

export function connectWorkspace(
  dir: string,
  fakes: { xero?: RunningXeroFake; quickbooks?: RunningQuickBooksFake },
  extra = '',
): string {
  cpSync(packageMappingsDir(), join(dir, 'mappings'), { recursive: true });
  const lines = [
    'ledger: ./data/ledger.sqlite',
    'timezone: UTC',
    'currency: USD',
    'mappings: ./mappings/default.yaml',
    'destinations:',
  ];
  if (fakes.xero) {
    const { apiUrl, tokenUrl, authorizeUrl, revokeUrl, connectionsUrl } = fakes.xero;
    lines.push(
      '  xero:',
      '    clientId: ${XERO_CLIENT_ID}',
      '    clientSecret: ${XERO_CLIENT_SECRET}',
      `    apiUrl: ${apiUrl}`,
      `    tokenUrl: ${tokenUrl}`,
      `    authorizeUrl: ${authorizeUrl}`,
      `    revokeUrl: ${revokeUrl}`,
      `    connectionsUrl: ${connectionsUrl}`,
    );
  }
  if (fakes.quickbooks) {
    const { apiUrl, tokenUrl, authorizeUrl, revokeUrl } = fakes.quickbooks;
    lines.push(
      '  quickbooks:',
      '    clientId: ${QBO_CLIENT_ID}',
      '    clientSecret: ${QBO_CLIENT_SECRET}',
      '    environment: sandbox',
      `    apiUrl: ${apiUrl}`,
      `    tokenUrl: ${tokenUrl}`,
      `    authorizeUrl: ${authorizeUrl}`,
      `    revokeUrl: ${revokeUrl}`,
    );
  }
  const path = join(dir, 'ledgerline.yaml');
  writeFileSync(path, `${lines.join('\n')}\n${extra}`);
  return path;
}

export interface RunningConnect {
  /** The authorize URL connect printed. */
  url: Promise<string>;
  /** Types a line on connect's stdin. */
  type(line: string): void;
  done: Promise<CliRun>;
  output(): string;
}

/** The authorize URL in what connect printed so far, if it printed it. */
function printedUrl(stdout: string): string | undefined {
  return /^(http:\/\/\S+authorize\S*|http:\/\/\S+connect\/oauth2\?\S*)$/m.exec(stdout)?.[1];
}

/**
 * `connect` in this process (runCli of src/cli/run-cli.ts, as test/support/cli.ts runs the CLI), its output read
 * as it is written, so the URL it prints can be answered while it waits, and `type` writes a line to its stdin
 * (a pipe, as in a script: no terminal); `env` adds variables to the fakes' SECRETS. Stopped after `timeoutMs` as a person's Ctrl-C stops it, and failed
 * if it has not ended 10 s later. A terminal's prompt needs a subprocess under `script` (connect-cli's terminal test).
 */
export function startCliInProcess(
  args: readonly string[],
  cwd: string,
  timeoutMs = 60_000,
  env: Readonly<Record<string, string>> = {},
): RunningConnect {
  let stdout = '';
  let stderr = '';
  let announce: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (announce = resolve));
  const collect = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        append(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        done();
      },
    });
  const out = collect((text) => {
    stdout += text;
    const printed = printedUrl(stdout);
    if (printed) announce(printed);
  });
  const err = collect((text) => (stderr += text));
  const stdin = new PassThrough();
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  let overdue: NodeJS.Timeout | undefined;
  const tooLate = new Promise<never>((_, reject) => {
    stop.signal.addEventListener('abort', () => {
      overdue = setTimeout(
        () =>
          reject(
            new Error(
              `ledgerline ${args.join(' ')} did not finish within ${timeoutMs} ms (and 10 s after being asked to stop)`,
            ),
          ),
        10_000,
      );
    });
  });
  const done = Promise.race([
    runCli(args, {
      env: { PATH: process.env.PATH ?? '', ...SECRETS, ...env },
      cwd,
      stdout: out,
      stderr: err,
      stdin,
      stopSignal: stop.signal,
    }),
    tooLate,
  ])
    .then((code) => {
      refuseBugReport(args, { stdout, stderr });
      return { code: code as number, signal: null, stdout, stderr };
    })
    .finally(() => {
      clearTimeout(timer);
      clearTimeout(overdue);
    });
  return {
    url,
    done,
    type: (line) => stdin.write(`${line}\n`),
    output: () => stdout + stderr,
  };
}

/**
 * Answers the consent page without a browser: opens it, submits Allow (with
 * the organisations in `pick`) or Cancel, and returns where the vendor
 * redirected (not followed).
 */
export async function answerConsent(
  authorizeUrl: string,
  decision: 'allow' | 'deny',
  pick: readonly string[],
  pickerName: 'tenant' | 'realm',
): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  expect(page.status, html).toBe(200);
  const action = /action="([^"]+)"/.exec(html)?.[1];
  const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !request) throw new Error(`no consent form in: ${html.slice(0, 500)}`);
  const answer = new URL(action, authorizeUrl);
  answer.searchParams.set('request', request);
  answer.searchParams.set('decision', decision);
  for (const value of pick) answer.searchParams.append(pickerName, value);
  const redirect = await fetch(answer, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  if (redirect.status !== 302 || !location)
    throw new Error(`the consent answer was not a redirect: ${redirect.status}`);
  return location;
}

/** Follows the redirect to connect's loopback listener, as the browser would. */
export async function deliverCallback(location: string): Promise<number> {
  const reply = await fetch(location);
  await reply.text();
  return reply.status;
}
