import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PageAssets } from './report-page.js';

/** uPlot's minified script and style sheet from the installed package, to inline: the page must not fetch anything. */
export function uplotAssets(): PageAssets {
  const require = createRequire(import.meta.url);
  return {
    uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}
