import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** /proc/PID/stat as the kernel writes it: the state (field 3, "Z" a zombie) and the start time (field 22, ticks since boot). */
export function procStat(pid: number): { state: string; startTicks: string } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, startTicks: fields[22 - 3]! };
}

/**
 * A process (`sleep`) under a parent that never wait()s for it: `exec sleep` replaces the shell that started it, so
 * once killed it stays a zombie, as a killed run does under a supervisor that reaps late or a container without an
 * init. `parent` is the caller's to kill (which lets init reap the zombie).
 */
export async function childOfLateReaper(): Promise<{ pid: number; parent: ChildProcess }> {
  const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const pid = await new Promise<number>((resolve) =>
    parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  // Until the shell has become `sleep` it may still reap the child itself (seen under load): wait for the exec.
  for (let wait = 0; wait < 250 && readFileSync(`/proc/${parent.pid}/comm`, 'utf8').trim() !== 'sleep'; wait += 1)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return { pid, parent };
}

/** Kills `pid` (kill -9) and waits until it is a zombie, unreaped. */
export async function killToZombie(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  for (let wait = 0; wait < 100 && procStat(pid).state !== 'Z'; wait += 1)
    await new Promise((resolve) => setTimeout(resolve, 20));
}
