/**
 * The exit codes and the base of every error a user must tell apart (src/errors.ts lists them all): 1 completed
 * with items to look at, 2 usage/configuration/environment, 3 a source, destination or the ledger's storage
 * failed, 75 another run holds the ledger, 70 a bug. Only the CLI turns an error into its code (DESIGN §6).
 */
export const EXIT = {
  ok: 0,
  attention: 1,
  usage: 2,
  external: 3,
  internal: 70,
  /** sysexits' EX_TEMPFAIL: nothing was done, the same command will work once the other run ends. */
  busy: 75,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export abstract class LedgerlineError extends Error {
  abstract readonly exitCode: ExitCode;
  /** Whether trying the same call again later can succeed without anyone changing anything. */
  readonly transient: boolean = false;
}

/**
 * The base of one error a user must tell apart: its name, its exit code and whether trying again later can succeed.
 * `class RunInProgressError extends failure('RunInProgressError', EXIT.busy, { transient: true }) {}`; a class that
 * words its own message adds a constructor.
 */
export function failure(name: string, exitCode: ExitCode, options: { transient?: boolean } = {}) {
  return class extends LedgerlineError {
    override readonly name: string = name;
    readonly exitCode: ExitCode = exitCode;
    override readonly transient: boolean = options.transient ?? false;
  };
}

/** What a thrown value says: an Error's message, anything else as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A database driver's message with the connection URL and its password cut out, should the driver have echoed
 * them; a message-less error (a bare socket failure) by its code or name. Example, url postgres://u:pw@h/ledger:
 * "connect postgres://u:pw@h/ledger refused" → "connect [ledger URL] refused".
 */
export function messageWithoutUrl(error: unknown, url: string): string {
  const message =
    error instanceof Error ? error.message || String((error as { code?: unknown }).code ?? error.name) : String(error);
  const password = URL.canParse(url) ? decodeURIComponent(new URL(url).password) : '';
  const withoutUrl = message.split(url).join('[ledger URL]');
  return password === '' ? withoutUrl : withoutUrl.split(password).join('[redacted]');
}
