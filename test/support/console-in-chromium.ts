import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

/** The Chromium the browser tests drive (CI installs it; a test skips without it). */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** Where screenshots a person looks at are written: ignored by git, so a test run leaves the tree clean. */
export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

/** A port free a moment ago: `serve` runs in this process, where its printed address is read only once it ends. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

/** Polls (for at most 30 s, a request each 25 ms) until the console answers; a serve that ended first fails with its output. */
export async function answering(url: string, serving: Promise<{ code: number | null; stderr: string }>): Promise<void> {
  let ended: string | undefined;
  void serving.then((run) => (ended = `serve ended with ${run.code}: ${run.stderr}`));
  for (const deadline = Date.now() + 30_000; Date.now() < deadline && ended === undefined;) {
    if (
      await fetch(url).then(
        (reply) => reply.ok,
        () => false,
      )
    )
      return;
    await new Promise((next) => setTimeout(next, 25));
  }
  throw new Error(ended ?? `${url} did not answer within 30 s`);
}

/** Headless Chromium's flags: without the background networking ones it keeps trying hosts this closed network refuses. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** This worker's browser, launched by its first browser test. */
let workerBrowser: Promise<Browser> | undefined;

/**
 * A new context (its own cookies, storage and pages; the caller closes it) of the one headless Chromium the
 * worker's browser tests share: a launch took about 2.5 CPU-s on the 2-core machine, and each of the six browser
 * files launched its own. The browser ends with its worker: vitest stops a worker with SIGTERM, on which Playwright
 * closes what it launched, and Chromium ends when the pipe to its parent closes.
 */
export async function chromiumContext(options?: BrowserContextOptions): Promise<BrowserContext> {
  let browser = await workerChromium();
  // One that closed (crashed, or a test closed it) is launched again, once.
  if (!browser.isConnected()) {
    workerBrowser = undefined;
    browser = await workerChromium();
  }
  return browser.newContext(options);
}

function workerChromium(): Promise<Browser> {
  workerBrowser ??= chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }).catch((error: unknown) => {
    workerBrowser = undefined;
    throw error;
  });
  return workerBrowser;
}
