// The lead's step after merging the round's branches (issue 53 item 8): format the whole tree once with
// Prettier (`npm run format`, the configuration in .prettierrc.json, what it skips in .prettierignore), then run
// the size ratchet over the formatted tree and print what it finds: each function the formatting took over 70
// lines and each file over 400, to split (or, where that must wait, to list in SIZE_CEILINGS at its size,
// test/architecture/size-ratchet.test.ts). Exits with the ratchet's code, so a clean run ends 0.
//
//   node scripts/format-and-ratchet.mjs        (then commit the formatting on its own, with nothing else)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const prettier = join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');

const formatted = spawnSync(process.execPath, [prettier, '--write', '--cache', '--log-level', 'warn', '.'], {
  cwd: root,
  stdio: 'inherit',
});
if (formatted.status !== 0) {
  process.stderr.write(
    `prettier --write failed (exit ${formatted.status ?? formatted.signal}): nothing was measured\n`,
  );
  process.exit(1);
}
const ratchet = spawnSync(process.execPath, [vitest, 'run', 'test/architecture/size-ratchet.test.ts'], {
  cwd: root,
  encoding: 'utf8',
});
// The ratchet's findings are the quoted lines of its failed assertion ("path: name is N lines (at most 70): split it").
const findings = `${ratchet.stdout}${ratchet.stderr}`
  .split('\n')
  .map((line) => line.replace(/\u001b\[[0-9;]*m/g, ''))
  .map((line) => /^\s*\+\s+"(.+)",?$/.exec(line)?.[1])
  .filter((finding) => finding !== undefined);
if (ratchet.status === 0) {
  process.stdout.write('formatted; the size ratchet passes on the formatted tree\n');
} else if (findings.length === 0) {
  process.stdout.write(`${ratchet.stdout}${ratchet.stderr}`);
} else {
  process.stdout.write(`formatted; the size ratchet finds ${findings.length} over the limits in the formatted tree:\n`);
  for (const finding of findings) process.stdout.write(`  ${finding}\n`);
}
process.exit(ratchet.status ?? 1);
