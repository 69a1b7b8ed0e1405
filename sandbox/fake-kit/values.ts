import { createHash } from 'node:crypto';
import { AmountFormatError, parseScaled } from '../../src/money/index.js';

export type Now = () => number;

export type CentsReading = { ok: true; cents: bigint } | { ok: false; problem: 'not-a-number' | 'too-many-decimals' };

/**
 * Reads an amount the client sent (decimal text from parseJsonExact) into
 * cents, refusing what a two-decimal currency cannot hold: "100.05" → 10005n,
 * "100.050" → 10005n (trailing zeros say nothing), "100.005" → too-many-decimals.
 */
export function readCents(value: unknown): CentsReading {
  if (typeof value !== 'string') return { ok: false, problem: 'not-a-number' };
  const trimmed = /\.\d*$/.test(value) ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
  try {
    return { ok: true, cents: parseScaled(trimmed, 2) };
  } catch (error) {
    if (error instanceof AmountFormatError && /decimal places/.test(error.reason))
      return { ok: false, problem: 'too-many-decimals' };
    return { ok: false, problem: 'not-a-number' };
  }
}

/** A deterministic v4-shaped UUID: the same seed and parts give the same id in every run. */
export function deterministicUuid(...parts: readonly (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
