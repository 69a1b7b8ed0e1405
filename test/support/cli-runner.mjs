// A ledgerline process that runs CLI commands of the built CLI in process, one at a time, as its parent asks over
// IPC ({ id, args, cwd, env } → { id, code, stdout, stderr }): two of them are two processes on one ledger, started
// once, so a test can run a pair of commands at once for many rounds without a process per command.
// It loads the bundle the binary runs (the run-cli chunk dist/src/cli/start.cjs requires, scripts/bundle-cli.mjs), not
// tsc's files beside it: 0.25 CPU-s to start instead of 1.4 on the 2-core machine. The chunk requires start.cjs, which
// runs the command in this process's arguments (none: the help, to the stdout cli-pair.ts ignores).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';

const start = new URL('../../dist/src/cli/start.cjs', import.meta.url);
const runCliChunk = /"(\.\/chunks\/run-cli-[^"]+\.cjs)"/.exec(readFileSync(start, 'utf8'))?.[1];
if (runCliChunk === undefined) throw new Error(`${start.pathname} requires no run-cli chunk: run npm run build`);
const { runCli } = createRequire(start)(runCliChunk);

function captured() {
  const chunks = [];
  const stream = new Writable({
    write(chunk, encoding, done) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

let queue = Promise.resolve();
process.on('message', (request) => {
  queue = queue.then(async () => {
    const stdout = captured();
    const stderr = captured();
    const code = await runCli(request.args, {
      env: request.env,
      cwd: request.cwd,
      stdout: stdout.stream,
      stderr: stderr.stream,
      stopSignal: new AbortController().signal,
    });
    if (process.connected) process.send({ id: request.id, code, stdout: stdout.text(), stderr: stderr.text() });
  });
});
process.on('disconnect', () => process.exit(0));
