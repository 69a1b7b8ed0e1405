// npm run bench: every bench/*.bench.mjs exports run() → { name, metrics }, measured
// against a baseline inside the same process. Figures are ratios, printed and
// written to bench/out/latest.json; nothing here is an assertion.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort();

const results = [];
for (const file of files) {
  const module = await import(join(here, file));
  process.stdout.write(`\n== ${file}\n`);
  const result = await module.run();
  results.push(result);
  for (const [key, value] of Object.entries(result.metrics)) process.stdout.write(`  ${key}: ${value}\n`);
}
mkdirSync(join(here, 'out'), { recursive: true });
writeFileSync(join(here, 'out', 'latest.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
