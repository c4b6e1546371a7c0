import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Path of the atlas-cap entry point the end-to-end tests run. */
export const CLI_PATH = join(import.meta.dirname, '..', '..', 'bin', 'atlas-cap.js');

/** What one atlas-cap invocation did: exit code, output, and wall time in ms (Node start included). */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `atlas-cap ...args` as a child process and resolves with its outcome, whatever the exit code. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr, ms: performance.now() - t0 }));
  });
}
