import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The k6 release the harness is pinned to (issue 4: `go install go.k6.io/k6@v1.8.1`). */
export const K6_VERSION = 'v1.8.1';

/** Git-ignored folder the pinned k6 is installed into. */
export const TOOLS_BIN = resolve(fileURLToPath(new URL('../../.tools/bin', import.meta.url)));

/** Where `npm run k6:install` puts the binary. */
export const TOOLS_K6 = join(TOOLS_BIN, 'k6');

/** The version a k6 binary reports (`k6 v1.8.1 (go1.x, linux/amd64)` → `v1.8.1`), or undefined. */
export function k6VersionOf(binary: string): string | undefined {
  try {
    const out = execFileSync(binary, ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /k6 (v\d+\.\d+\.\d+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** A k6 binary of the pinned version: K6_BINARY, then .tools/bin/k6, then PATH; undefined when none. */
export function findK6(): string | undefined {
  const candidates = [process.env.K6_BINARY, TOOLS_K6, onPath('k6')].filter((c): c is string => !!c);
  return candidates.find((c) => existsSync(c) && k6VersionOf(c) === K6_VERSION);
}

/** Like findK6, but throws with the install instructions when no pinned k6 exists. */
export function resolveK6(): string {
  const found = findK6();
  if (found) return found;
  throw new Error(`k6 ${K6_VERSION} not found (PATH, .tools/bin): run \`npm run k6:install\``);
}

/** Go toolchain on PATH (or /usr/local/go/bin), used to build k6 from its module. */
export function findGo(): string | undefined {
  return onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}
