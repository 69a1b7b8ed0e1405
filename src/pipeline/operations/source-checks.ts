import pLimit from 'p-limit';
import { dateInTimeZone } from '../../calendar/index.js';
import type { SourceConfig } from '../../config/index.js';
import { LedgerlineError } from '../../errors.js';
import { type Clock, createHttpClient } from '../../http/index.js';
import type { DoctorCheck } from './doctor-checklist.js';
import type { SourceProbes } from './source-probe.js';

/** One source's read-only call, as `doctor` lists it (its area the source's id) and `sources test` tabulates it. */
export interface SourceCheck extends DoctorCheck {
  /** How long the call took, retries included. */
  elapsedMs: number;
}

interface SourceCheckOptions {
  /** The books' time zone: a probe reading a day's window reads today's there. */
  timezone: string;
  clock: Clock;
  redact(text: string): string;
  /** Each source's kind, for its one read-only call. */
  probes: SourceProbes;
}

/** At most this many sources are asked at once: thirty panels are checked in the time of about four, politely. */
const SOURCES_AT_ONCE = 8;

/**
 * Each source's one read-only call (a panel's balance, the ad network's stats), a few at a time, in the order given.
 * A source that fails is a `fail` check naming what to fix; the others are still asked. Nothing is written or landed.
 */
export async function checkSources(
  sources: readonly SourceConfig[],
  options: SourceCheckOptions,
): Promise<SourceCheck[]> {
  const limit = pLimit(SOURCES_AT_ONCE);
  return Promise.all(sources.map((source) => limit(() => checkSource(source, options))));
}

async function checkSource(source: SourceConfig, options: SourceCheckOptions): Promise<SourceCheck> {
  const http = createHttpClient({
    service: source.id,
    timeoutMs: 30_000,
    retry: { maxAttempts: 2, maxTotalMs: 10_000, baseDelayMs: 500, maxDelayMs: 2_000 },
    clock: options.clock,
    redact: options.redact,
  });
  const probe = options.probes(source);
  const startedMs = options.clock.now();
  const elapsedMs = () => Math.max(0, options.clock.now() - startedMs);
  try {
    const detail = await probe.probe(source, {
      http,
      clock: options.clock,
      day: dateInTimeZone(options.timezone)(new Date(options.clock.now())),
      timeZone: options.timezone,
    });
    return { area: source.id, status: 'pass', subject: probe.probeSubject, detail, elapsedMs: elapsedMs() };
  } catch (error) {
    if (!(error instanceof LedgerlineError)) throw error;
    return {
      area: source.id,
      status: 'fail',
      subject: probe.probeSubject,
      detail: options.redact(error.message),
      fix: `check this source's ${probe.addressField} and apiKey in ledgerline.yaml, and that the service is up`,
      elapsedMs: elapsedMs(),
    };
  } finally {
    await http.close();
  }
}
