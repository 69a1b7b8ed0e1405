import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * undici, loaded by the first request or agent rather than by every command's start: as a static import it
 * cost each process ~150 ms of CPU to compile (a third of `export`'s start, which sends no request).
 */
export function undici(): typeof import('undici') {
  return require('undici') as typeof import('undici');
}
