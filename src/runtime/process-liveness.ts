import { readFileSync } from 'node:fs';

/**
 * When `pid` started, as the kernel counts it (/proc/PID/stat field 22: clock ticks since boot), or undefined
 * where /proc cannot tell (another OS, a hidden /proc). Recorded by whoever takes a lock, so a pid the kernel has
 * since given to another process is not taken for the holder. Example: "8123 (node) S 1 … 48210 …" → "48210".
 */
export function processStartTicks(pid: number): string | undefined {
  return readStat(pid)?.startTicks;
}

/**
 * Whether `pid` is a live process on this host and, when `startTicks` is known, the same one that recorded it.
 * A zombie (state Z: a killed run its parent has not reaped yet) answers signal 0 but runs nothing, so it holds
 * nothing. Where /proc cannot be read, signal 0 decides (EPERM: alive under another user).
 */
export function processIsAlive(pid: number, startTicks?: string | null): boolean {
  const stat = readStat(pid);
  if (stat === undefined) return answersSignalZero(pid);
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startTicks === undefined || startTicks === null || stat.startTicks === startTicks;
}

function answersSignalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The state (field 3) and start time (field 22) of /proc/PID/stat; the name before them (field 2) may hold spaces and ")". */
function readStat(pid: number): { state: string; startTicks: string } | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTicks = fields[22 - 3];
  return state === undefined || startTicks === undefined ? undefined : { state, startTicks };
}

/** The two questions a lock's holder is asked: a run's lock, a restore's, the SQLite ledger's holder files. */
export const processLiveness = { isAlive: processIsAlive, startTicks: processStartTicks };
