import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/progress-bar.js';

function stream(isTTY: boolean): { out: PassThrough & { isTTY?: boolean }; text: () => string } {
  const out: PassThrough & { isTTY?: boolean } = new PassThrough();
  out.isTTY = isTTY;
  let written = '';
  out.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return { out, text: () => written };
}

describe('the backfill progress bar', () => {
  it('redraws one line in place on a terminal and clears it when done', () => {
    const terminal = stream(true);
    const bar = progressBar(terminal.out, true);
    bar.update(7, 28, 'smm-panel 2026-03-07');
    bar.done();
    expect(terminal.text()).toBe(`\r[#######                     ] 7/28 smm-panel 2026-03-07\u001b[K\r\u001b[K`);
  });

  it('draws nothing when piped, or when the output is --json', () => {
    const piped = stream(false);
    progressBar(piped.out, true).update(1, 2, 'x');
    const json = stream(true);
    progressBar(json.out, false).update(1, 2, 'x');
    expect(piped.text() + json.text()).toBe('');
  });
});
