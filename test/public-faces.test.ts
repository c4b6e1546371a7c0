import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Other folders reach a public folder only through its curated index.ts (docs/conventions.md).
const ROOT = resolve(import.meta.dirname, '..');
/** Public folders and the index files other folders may import from them. */
const FACES: Record<string, string[]> = {
  simulator: ['simulator/index.ts', 'simulator/des/index.ts'],
  reports: ['reports/index.ts'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import and export-from specifier of one file, resolved to a path from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] ?? '');
  return specs.map((s) => relative(ROOT, resolve(join(ROOT, dirname(file)), s)));
}

describe('public faces', () => {
  const files = ['core', 'scripts', 'backend', 'reports', 'simulator', 'test', 'bin'].flatMap(sourceFiles);

  it('finds the sources it checks (the scan itself works)', () => {
    expect(files).toContain('scripts/commands/simulate.ts');
    expect(importsOf('scripts/commands/simulate.ts')).toContain('simulator/index.ts');
  });

  for (const [folder, faces] of Object.entries(FACES)) {
    it(`${folder}/ is imported from outside only through ${faces.join(', ')}`, () => {
      const bypasses = files
        .filter((f) => !f.startsWith(`${folder}/`))
        .flatMap((f) => importsOf(f).map((target) => ({ f, target })))
        .filter(({ target }) => target.startsWith(`${folder}/`) && !faces.includes(target))
        .map(({ f, target }) => `${f} -> ${target}`);
      expect(bypasses).toEqual([]);
    });
  }
});
