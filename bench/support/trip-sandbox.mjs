// A sandbox in its own process for trip.bench.mjs, so the trip counts none of the src/ functions the sandbox
// itself calls: serves the world script in the file named in argv[2] from the day in argv[3], prints
// { panelUrl, panelKey } as one JSON line, then moves its day to each date it reads on stdin (a line each),
// answering each with a line "ok".
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startSandbox } from '../../dist/sandbox/sandbox-server.js';

const [scriptFile, today] = process.argv.slice(2);
const sandbox = await startSandbox({ script: JSON.parse(readFileSync(scriptFile, 'utf8')), today });
process.stdout.write(`${JSON.stringify({ panelUrl: sandbox.panelUrl, panelKey: sandbox.keys.panel })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  sandbox.setToday(line.trim());
  process.stdout.write('ok\n');
}
await sandbox.close();
