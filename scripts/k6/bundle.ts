import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

// k6 runs each file of a TypeScript scenario as its own ES module: every use of an imported binding
// (a constant, a helper, `http`) is a by-name lookup in the exporting module (sobek
// GetBindingValue), ~5% of k6's CPU in the delta-sync iteration. One bundle per scenario (esbuild,
// scope-hoisted) turns those into local variables. The `.ts` files stay the source of truth: tsc
// checks them, `k6 inspect` reads them, and the bundle has the same options (checked in tests).

/**
 * Bundles scenario `file` and its scenarios/lib imports into `<outDir>/<name>.js` (k6 modules stay
 * imports, an inline source map points k6's stack traces at the .ts lines); returns the bundle's path.
 */
export async function bundleScenario(file: string, outDir: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, basename(file).replace(/\.ts$/, '.js'));
  await build({
    entryPoints: [file],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    // k6's own modules (k6, k6/http, k6/data, ...) are provided by k6 at run time.
    external: ['k6', 'k6/*'],
    // What k6 v1's JavaScript runtime (sobek) runs natively: no down-levelling of modern syntax.
    target: 'es2022',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return outfile;
}
