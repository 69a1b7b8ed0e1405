import { UsageError } from '../errors.js';

/**
 * Text from a file or a command line made safe to show on a terminal: control characters (which could
 * move the cursor or recolour the screen) are written as escapes, and long text is cut.
 * printable('ab\u0007c') === 'ab\\u0007c'.
 */
export function printable(text: string, maxLength = 80): string {
  const cut = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]/g, (char) =>
    char === '\ufffd' ? '\\ufffd' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The one rule for text that enters the books (reasons, notes, bank texts and ids): no C0 control (tab and line
 * breaks included: each of these texts is one line), no DEL, no C1 control, no line or paragraph separator and no
 * bidirectional override, embedding, isolate or mark, which would make an export, a chained description or a
 * terminal show other text than the bytes hold.
 */
const UNCLEAN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
const WHITESPACE_CONTROL = /^[\t\n\v\f\r\u2028\u2029]$/;
/** What a statement's control character reads as once replaced: one visible mark per character. */
const REPLACED_CHARACTER = '\ufffd';

/**
 * Text typed by a person (a flag, a form field), checked at input: returned as it is, or refused naming the field and
 * the first character the rule keeps out. Example: cleanInput('--reason', 'fee\u001b[31m') throws
 * `--reason holds a control character (U+001B, at character 4): type it without`.
 */
export function cleanInput(field: string, text: string): string {
  UNCLEAN.lastIndex = 0;
  const found = UNCLEAN.exec(text);
  if (found === null) return text;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  throw new UsageError(
    `${field} holds a control character (U+${code}, at character ${found.index + 1}): type it without; nothing was written`,
  );
}

/**
 * Text read from a file a bank wrote, made clean at input: each whitespace control (a tab, a line break) is a space,
 * each other character the rule keeps out is one U+FFFD. Example: 'PAYPAL\tTRANSFER\u0007' → 'PAYPAL TRANSFER\ufffd'.
 */
export function cleanRead(text: string): string {
  UNCLEAN.lastIndex = 0;
  if (!UNCLEAN.test(text)) return text;
  return text.replace(UNCLEAN, (char) => (WHITESPACE_CONTROL.test(char) ? ' ' : REPLACED_CHARACTER));
}

/** 'a, b or c' */
export function listed(choices: readonly string[]): string {
  return choices.length <= 1 ? (choices[0] ?? '') : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)!}`;
}
