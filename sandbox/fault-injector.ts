import { z } from 'zod';
import { SIMULATED_SERVICES, type SimulatedService } from './simulated-service.js';

/** Why a reply was not the service's normal answer; `rateLimit` is also used for the real limiter. */
export const FAULT_KINDS = ['rateLimit', 'upstreamError', 'malformed', 'errorInside200'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A malformed reply: the real JSON cut in half, or an HTML error page from a proxy. */
export const MALFORMED_SHAPES = ['truncatedJson', 'htmlPage'] as const;
export type MalformedShape = (typeof MALFORMED_SHAPES)[number];

const Times = z.number().int().min(0).max(100_000);

/**
 * Body of POST /__admin/faults. Each field given replaces that fault's pending
 * count for the service; `clear` first drops everything pending.
 */
export const FaultRequestSchema = z
  .object({
    service: z.enum(SIMULATED_SERVICES),
    clear: z.boolean().optional(),
    rateLimit: z
      .object({ count: Times, retryAfterSeconds: z.number().int().min(0).max(3600).default(1) })
      .strict()
      .optional(),
    upstreamErrors: Times.optional(),
    slow: z
      .object({ count: Times, delayMs: z.number().int().min(0).max(60_000) })
      .strict()
      .optional(),
    malformed: z
      .object({ count: Times, shape: z.enum(MALFORMED_SHAPES).default('truncatedJson') })
      .strict()
      .optional(),
    errorInside200: Times.optional(),
    /** Panel only: answer action=multiStatus as an unsupported action until switched off. */
    rejectMultiStatus: z.boolean().optional(),
  })
  .strict()
  .refine((request) => request.service === 'panel' || request.rejectMultiStatus === undefined, {
    message: 'rejectMultiStatus applies to the panel only',
    path: ['rejectMultiStatus'],
  });
export type FaultRequest = z.input<typeof FaultRequestSchema>;

export interface PendingFaults {
  readonly rateLimit: { readonly count: number; readonly retryAfterSeconds: number };
  readonly upstreamErrors: number;
  readonly slow: { readonly count: number; readonly delayMs: number };
  readonly malformed: { readonly count: number; readonly shape: MalformedShape };
  readonly errorInside200: number;
  readonly rejectMultiStatus: boolean;
}

/** The fault one request gets: a delay (maybe 0) and at most one replacement of its reply. */
export interface TakenFault {
  readonly delayMs: number;
  readonly replacement?:
    | { readonly kind: 'rateLimit'; readonly retryAfterSeconds: number }
    | { readonly kind: 'upstreamError' }
    | { readonly kind: 'malformed'; readonly shape: MalformedShape }
    | { readonly kind: 'errorInside200' };
}

export interface FaultInjector {
  /** Validates and applies a fault request (throws the zod error for a bad one); returns what is now pending. */
  inject(request: unknown): PendingFaults;
  pending(service: SimulatedService): PendingFaults;
  /** Consumes what the next request to `service` gets: a 429 first, then a 502, a malformed body, an error inside a 200. */
  take(service: SimulatedService): TakenFault;
  rejectsMultiStatus(): boolean;
}

const NONE: PendingFaults = {
  rateLimit: { count: 0, retryAfterSeconds: 1 },
  upstreamErrors: 0,
  slow: { count: 0, delayMs: 0 },
  malformed: { count: 0, shape: 'truncatedJson' },
  errorInside200: 0,
  rejectMultiStatus: false,
};

export function createFaultInjector(): FaultInjector {
  const state = new Map<SimulatedService, PendingFaults>(SIMULATED_SERVICES.map((service) => [service, NONE]));
  const pending = (service: SimulatedService): PendingFaults => state.get(service) ?? NONE;
  return {
    inject(input) {
      const request = FaultRequestSchema.parse(input);
      const base = request.clear === true ? NONE : pending(request.service);
      const next: PendingFaults = {
        rateLimit: request.rateLimit ?? base.rateLimit,
        upstreamErrors: request.upstreamErrors ?? base.upstreamErrors,
        slow: request.slow ?? base.slow,
        malformed: request.malformed ?? base.malformed,
        errorInside200: request.errorInside200 ?? base.errorInside200,
        rejectMultiStatus: request.rejectMultiStatus ?? base.rejectMultiStatus,
      };
      state.set(request.service, next);
      return next;
    },
    pending,
    take(service) {
      const current = pending(service);
      const delayMs = current.slow.count > 0 ? current.slow.delayMs : 0;
      let next: PendingFaults =
        current.slow.count > 0 ? { ...current, slow: { ...current.slow, count: current.slow.count - 1 } } : current;
      let replacement: TakenFault['replacement'];
      if (next.rateLimit.count > 0) {
        replacement = { kind: 'rateLimit', retryAfterSeconds: next.rateLimit.retryAfterSeconds };
        next = { ...next, rateLimit: { ...next.rateLimit, count: next.rateLimit.count - 1 } };
      } else if (next.upstreamErrors > 0) {
        replacement = { kind: 'upstreamError' };
        next = { ...next, upstreamErrors: next.upstreamErrors - 1 };
      } else if (next.malformed.count > 0) {
        replacement = { kind: 'malformed', shape: next.malformed.shape };
        next = { ...next, malformed: { ...next.malformed, count: next.malformed.count - 1 } };
      } else if (next.errorInside200 > 0) {
        replacement = { kind: 'errorInside200' };
        next = { ...next, errorInside200: next.errorInside200 - 1 };
      }
      state.set(service, next);
      return replacement === undefined ? { delayMs } : { delayMs, replacement };
    },
    rejectsMultiStatus: () => pending('panel').rejectMultiStatus,
  };
}
