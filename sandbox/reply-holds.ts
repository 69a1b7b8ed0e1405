import { z } from 'zod';

/**
 * How long a reply is held when a test never releases it: a forgotten hold delays, it never hangs a run. A minute,
 * not seconds: on a loaded machine the test's next step (a signal taken, a second process started) can take
 * seconds, and a hold that let go by itself meanwhile would let the run finish before the moment the test stages.
 */
export const DEFAULT_HOLD_MS = 60_000;
/** The longest a test may ask a reply to be held. */
export const MAX_HOLD_MS = 120_000;

export const HoldRequestSchema = z
  .object({
    service: z.enum(['panel', 'payelancer']),
    /** The API action whose next reply is held, e.g. "balance" or "add". */
    action: z.string().regex(/^[A-Za-z_]{1,40}$/),
    timeoutMs: z.number().int().min(1).max(MAX_HOLD_MS).optional(),
  })
  .strict();
export type HoldRequest = z.infer<typeof HoldRequestSchema>;

interface ArmedHold {
  key: string;
  timeoutMs: number;
  /** Set once a reply is held: lets it go. */
  release?: () => void;
  /** Resolved once a request has been answered and its reply is held. */
  held: Promise<void>;
  markHeld: () => void;
}

/**
 * Holds the next reply of one action after the service has answered it (the world has
 * changed: a balance computed, an order placed and charged) until a test releases it, as
 * a reply held in transit would be. Each hold takes one request; events, never sleeps,
 * tell a test where things stand: `whenHeld` resolves once the reply is held, `release`
 * once it has been let go.
 */
export class ReplyHolds {
  private readonly armed = new Map<string, ArmedHold>();

  arm(request: HoldRequest): void {
    const key = `${request.service}|${request.action}`;
    let markHeld = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      markHeld = resolve;
    });
    this.armed.set(key, { key, timeoutMs: request.timeoutMs ?? DEFAULT_HOLD_MS, held, markHeld });
  }

  /** Called with every answered request: waits while a hold armed for its action is taken, and at most its timeout. */
  async pass(service: string, action: string): Promise<void> {
    const hold = this.armed.get(`${service}|${action}`);
    if (hold === undefined || hold.release !== undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => hold.release?.(), hold.timeoutMs);
      hold.release = () => {
        clearTimeout(timer);
        this.armed.delete(hold.key);
        resolve();
      };
      hold.markHeld();
    });
  }

  /** Resolves true once the armed hold of this action holds a reply, false when none is armed or after `withinMs`. */
  async whenHeld(service: string, action: string, withinMs: number): Promise<boolean> {
    const hold = this.armed.get(`${service}|${action}`);
    if (hold === undefined) return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), withinMs);
    });
    const held = await Promise.race([hold.held.then(() => true), late]);
    clearTimeout(timer);
    return held;
  }

  /** Lets the held reply of this action go; false when none was held. */
  release(service: string, action: string): boolean {
    const hold = this.armed.get(`${service}|${action}`);
    if (hold?.release === undefined) return false;
    hold.release();
    return true;
  }
}
