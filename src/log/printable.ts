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
