// A ledgerline process that runs CLI commands of the built CLI (dist/) in process, one at a time, as its parent
// asks over IPC ({ id, args, cwd, env } → { id, code, stdout, stderr }): two of them are two processes on one
// ledger, started once, so a test can run a pair of commands at once for many rounds without a process per command.
import { Writable } from 'node:stream';
import { runCli } from '../../dist/src/cli/run-cli.js';

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
