import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { findGo, findK6, K6_VERSION, k6VersionOf, TOOLS_BIN, TOOLS_K6 } from './binary.ts';

/** What installK6 did. */
export interface K6InstallResult {
  binary: string;
  version: string;
  /** True when it built k6 now; false when a pinned k6 already existed. */
  installed: boolean;
}

/** Message when neither k6 nor Go is available: how to get either. */
export const NO_K6_NO_GO = [
  `k6 ${K6_VERSION} is not installed and Go is not available to build it.`,
  `Install Go (https://go.dev/dl/) and re-run \`npm run k6:install\`, or install k6 ${K6_VERSION}`,
  '(https://grafana.com/docs/k6/latest/set-up/install-k6/) and put it on PATH or in .tools/bin.',
].join(' ');

/**
 * Makes sure a k6 of the pinned version exists: reuses one on PATH or in .tools/bin, else builds it
 * with `go install go.k6.io/k6@<version>` (CGO_ENABLED=0, GOBIN=.tools/bin).
 */
export async function installK6(log: (line: string) => void = () => {}): Promise<K6InstallResult> {
  const existing = findK6();
  if (existing) return { binary: existing, version: K6_VERSION, installed: false };
  const go = findGo();
  if (!go) throw new Error(NO_K6_NO_GO);
  mkdirSync(TOOLS_BIN, { recursive: true });
  log(`building k6 ${K6_VERSION} with ${go} into ${TOOLS_BIN} (a few minutes on first build)`);
  await new Promise<void>((done, fail) => {
    const child = spawn(go, ['install', `go.k6.io/k6@${K6_VERSION}`], {
      env: { ...process.env, CGO_ENABLED: '0', GOBIN: TOOLS_BIN },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`go install go.k6.io/k6@${K6_VERSION} exited with ${code}`)),
    );
  });
  const version = k6VersionOf(TOOLS_K6);
  if (version !== K6_VERSION) throw new Error(`built ${TOOLS_K6} but it reports ${version ?? 'no version'}`);
  return { binary: TOOLS_K6, version, installed: true };
}
