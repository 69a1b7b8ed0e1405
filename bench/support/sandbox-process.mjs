// A sandbox in its own process, so a benchmark measures only ledgerline's
// memory and CPU: reads a world script from the file named in argv[2], serves
// it, and prints { baseUrl, panelUrl, adminUrl, panelKey } as one JSON line.
import { readFileSync } from 'node:fs';
import { startSandbox } from '../../dist/sandbox/sandbox-server.js';

const [scriptFile, rateLimitPerMinute] = process.argv.slice(2);
const sandbox = await startSandbox({
  script: JSON.parse(readFileSync(scriptFile, 'utf8')),
  rateLimitPerMinute: Number(rateLimitPerMinute),
});
process.stdout.write(
  `${JSON.stringify({ baseUrl: sandbox.baseUrl, panelUrl: sandbox.panelUrl, adminUrl: sandbox.adminUrl, panelKey: sandbox.keys.panel })}\n`,
);
process.on('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
