import { spawn } from 'node:child_process';

export interface HeldLedgerLock {
  /** True until the shell holding the lock has ended. */
  holding(): boolean;
  release(): Promise<void>;
}

/** Another process (the sqlite3 shell) holding a SQLite ledger's write lock (BEGIN IMMEDIATE) until released; waits up to 10 s for it. */
export async function lockLedger(path: string): Promise<HeldLedgerLock> {
  const shell = spawn('sqlite3', [path], { stdio: ['pipe', 'pipe', 'pipe'] });
  let ended = false;
  const exited = new Promise<void>((resolve) =>
    shell.on('close', () => {
      ended = true;
      resolve();
    }),
  );
  let said = '';
  shell.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
  shell.stdin.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
  for (let attempt = 0; attempt < 200 && !said.includes('locked'); attempt += 1)
    await new Promise((resolve) => setTimeout(resolve, 50));
  if (!said.includes('locked')) throw new Error(`the sqlite3 shell did not take the lock of ${path}`);
  return {
    holding: () => !ended,
    async release() {
      shell.stdin.end('ROLLBACK;\n.quit\n');
      await exited;
    },
  };
}
