import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';

let cached: string | null = null;

/**
 * vega's browser build (build/vega.min.js of the installed vega, ~0.5 MB), to inline in report.html so
 * the what-if runs from a file with no server and no network. vega-lite is compiled here, not shipped.
 */
export function vegaBrowserScript(): string {
  if (cached === null) {
    // The package's exports hide build/; its entry point sits in the same folder.
    const entry = fileURLToPath(import.meta.resolve('vega'));
    cached = readFileSync(join(dirname(entry), 'vega.min.js'), 'utf8');
  }
  return cached;
}

/** Compiles a vega-lite spec to the vega spec the page's inline vega runs. */
export async function compileToVega(spec: TopLevelSpec): Promise<object> {
  const { compile } = await import('vega-lite');
  return compile(spec).spec;
}
