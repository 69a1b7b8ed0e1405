/** Resolves when the process is asked to stop: long-running commands (sandbox, webhooks, schedule) park here. */
export function waitForStop(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
