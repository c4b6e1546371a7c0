import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The CLI entry point; the target runs as `node bin/atlas-cap.js target`, in its own process. */
const CLI = fileURLToPath(new URL('../../bin/atlas-cap.js', import.meta.url));

/** A target child process and where it listens. */
export interface TargetProcess {
  url: string;
  upstream: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
  stop(): Promise<void>;
}

/** Options of {@link startTargetProcess}. */
export interface TargetProcessOptions {
  /** Policy name or YAML file. */
  policy: string;
  databaseUrl: string;
  allowRemote?: string;
  redisUrl?: string;
  slowQuery?: { ms: number; share: number };
  /** Environment of the child (carries SUPABASE_JWT_SECRET when set). */
  env: NodeJS.ProcessEnv;
  /** The target's stderr goes here. */
  logFile: string;
}

/**
 * Starts `atlas-cap target --json --port 0` as a child process (so its CPU is not k6's or the runner's),
 * the database and Redis URLs in its environment (DATABASE_URL, REDIS_URL), and resolves once it
 * prints its ready line `{"listening", "upstream", "policy"}`.
 */
export async function startTargetProcess(options: TargetProcessOptions): Promise<TargetProcess> {
  const args = [CLI, 'target', '--json', '--port', '0', '--policy', options.policy];
  if (options.allowRemote) args.push('--allow-remote', options.allowRemote);
  if (options.slowQuery) {
    args.push(
      '--slow-query-ms',
      String(options.slowQuery.ms),
      '--slow-query-share',
      String(options.slowQuery.share),
    );
  }
  // URLs that may carry a password go by environment, never on the command line, where `ps` and
  // /proc/<pid>/cmdline show them to every local user (the environment is readable by the owner only).
  const env: NodeJS.ProcessEnv = { ...options.env, DATABASE_URL: options.databaseUrl };
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;
  else delete env.REDIS_URL; // in-memory counters unless the run asks for Redis
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(options.logFile);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ listening: string; upstream: string }>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('the target did not report ready within 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buffer.slice(0, nl)) as { listening: string; upstream: string });
      } catch {
        reject(new Error(`the target printed '${buffer.slice(0, nl)}' instead of its JSON ready line`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the target exited with code ${code} before listening (see ${options.logFile})`));
    });
  });
  return {
    url: ready.listening,
    upstream: ready.upstream,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
