import { spawn } from 'node:child_process';
import type { CallbackMode, XeroConnection } from '../destinations/index.js';
import { ConsentTimeoutError, PastedRedirectError } from '../errors.js';
import type { CommandProcess } from './command.js';
import { readOneLine } from './consent-cli.js';

/** The consent's address, and what happens after Allow; the browser opened where there is a display. */
export function showUrl(
  context: CommandProcess,
  service: string,
  url: string,
  redirectUri: string,
  mode: CallbackMode,
  { browser }: { browser: boolean },
): void {
  const open = mode.kind === 'loopback' && browser && hasDisplay(context.env);
  const then =
    mode.kind === 'paste'
      ? `After choosing Allow, the browser goes to ${redirectUri}?code=…; copy that whole address from the address bar and paste it here.`
      : `Waiting for ${service} to send the browser back to ${redirectUri} …`;
  context.stdout.write(
    `${open ? 'Opening' : 'Open'} this address in a browser to connect ledgerline to ${service}:\n${url}\n${then}\n`,
  );
  if (open) openBrowser(url);
}

function hasDisplay(env: NodeJS.ProcessEnv): boolean {
  return process.platform === 'darwin' || process.platform === 'win32' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Best effort: the URL is printed either way. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

/** `connect --paste`: the address the browser was redirected to, as pasted, within the timeout. */
export async function pastedUrl(context: CommandProcess, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ConsentTimeoutError(
            `nothing was pasted within ${Math.round(timeoutMs / 1000)} s; nothing was stored. Run connect again`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    const line = await Promise.race([readOneLine('redirected URL: ', context), timedOut]);
    if (line === undefined || line.trim() === '')
      throw new PastedRedirectError(
        'nothing was pasted; run connect --paste again and paste the whole address the browser was redirected to',
      );
    return line;
  } finally {
    clearTimeout(timer);
  }
}

/** A consent that connected several Xero organisations: the person picks one. */
export async function askTenant(
  context: CommandProcess,
  choices: readonly XeroConnection[],
): Promise<XeroConnection | undefined> {
  context.stderr.write(
    `The consent connected ${choices.length} ` +
      `organisations:\n${choices.map((choice, index) => `  ${index + 1}. ${choice.tenantName} (${choice.tenantId})`).join('\n')}\n`,
  );
  const answer = await readOneLine(`which one should ledgerline post to? [1-${choices.length}] `, context);
  const index = Number(answer?.trim()) - 1;
  return Number.isInteger(index) ? choices[index] : undefined;
}
