// Loaded with `node --import` into a measured process: on exit, writes its
// peak resident set size (kB) and CPU time (ms) to the file named by PEAK_RSS_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (!process.env.PEAK_RSS_FILE) return;
  const usage = process.resourceUsage();
  writeFileSync(
    process.env.PEAK_RSS_FILE,
    JSON.stringify({ maxRssKb: usage.maxRSS, cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000) }),
  );
});
