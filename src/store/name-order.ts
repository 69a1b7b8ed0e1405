/**
 * The order `a.localeCompare(b)` gives names (accounts, currencies, sources, dates), without ICU where that order is
 * known: the first localeCompare of a process builds ICU's collator and its set of locales (67 M instructions of a
 * balances' 0.92 G). Only where the default locale is one whose order was checked against ICU (root's, en-US's:
 * test/store/name-order.test.ts, under each of VERIFIED_LOCALES and under da_DK, which sorts "aa" after "z") and
 * both names are plain ASCII letters, digits, "_", "-" and "."; anything else is compared by ICU as before.
 */

/** The locale variables' values under which ICU's default collator is root's (V8 names it en-US). */
const VERIFIED_LOCALES: ReadonlySet<string> = new Set(['C', 'POSIX', 'C.UTF-8', 'C.utf8', 'en_US.UTF-8', 'en_US.utf8']);

/** Root's primary order of the characters it applies to: punctuation, digits, letters (either case). */
const PRIMARY_ORDER = '_-.0123456789abcdefghijklmnopqrstuvwxyz';

/** Each ASCII code's primary rank, -1 where this order does not apply. */
const RANK = new Int8Array(128).fill(-1);
for (const [rank, char] of [...PRIMARY_ORDER].entries()) {
  RANK[char.charCodeAt(0)] = rank;
  RANK[char.toUpperCase().charCodeAt(0)] = rank;
}

/** Whether the process's default locale orders as root: false (ICU for every name) until its start says so. */
let rootDefault = false;

/**
 * Takes the process's default locale from the environment it was started with (the CLI's start, the one place that
 * knows it is that environment): ICU takes the first of LC_ALL, LC_MESSAGES and LANG that is set (even empty), and
 * en-US when none is; other ICU data (NODE_ICU_DATA) is never assumed to order as root.
 */
export function takeDefaultLocaleFrom(env: NodeJS.ProcessEnv): void {
  const chosen = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined);
  rootDefault = env.NODE_ICU_DATA === undefined && (chosen === undefined || VERIFIED_LOCALES.has(chosen));
}

function inRootOrder(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 128 || RANK[code]! < 0) return false;
  }
  return true;
}

/** Root's comparison of two names in its order: primary (shorter prefix first), then case (lowercase first). */
function rootCompare(a: string, b: string): number {
  let caseOrder = 0;
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    const primary = RANK[x]! - RANK[y]!;
    if (primary !== 0) return primary < 0 ? -1 : 1;
    if (caseOrder === 0 && x !== y) caseOrder = x > y ? -1 : 1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return caseOrder;
}

/** `a.localeCompare(b)`'s sign, as the default locale orders them. */
export function compareNames(a: string, b: string): number {
  if (rootDefault && inRootOrder(a) && inRootOrder(b)) return rootCompare(a, b);
  return a.localeCompare(b);
}
