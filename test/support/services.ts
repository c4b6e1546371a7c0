import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import pg from 'pg';
import type { TestOptions } from 'vitest';
import { redact } from '../../core/redact.ts';
import { findK6, K6_VERSION, k6VersionOf } from '../../scripts/k6/binary.ts';

// What the tests need from outside the test files. The project builds k6 itself (the global setup
// does, once, before any file is collected); PostgreSQL, Redis and Chromium come from the machine.
// Outside CI a missing piece skips the tests that need it, and the skip reporter lists them with the
// reason at the end of the run; under CI=true it fails the run.

declare module 'vitest' {
  interface TaskMeta {
    /** Why the test (or every test of the suite) was skipped: the missing pieces, one line each. */
    skipReason?: string;
  }
}

/** True when the test run is CI's: a missing service then fails the run instead of skipping. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** PostgreSQL the integration tests use: DATABASE_URL, else the machine's server at 127.0.0.1:5432. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Redis the integration tests use: REDIS_URL, else the machine's server at 127.0.0.1:6379. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Debian's chromium (.ci/run installs it); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A piece some tests need that the test files do not provide themselves. */
export type Service = 'PostgreSQL' | 'Redis' | 'k6' | 'Chromium';

async function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port, timeout: 1000 });
    socket.once('connect', () => done(socket.end() !== undefined));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(socket.destroy() === undefined));
  });
}

const PROBES: Record<Service, () => Promise<string | undefined>> = {
  async PostgreSQL() {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (error) {
      const why = (error as Error).message.split('\n')[0];
      return `PostgreSQL: ${redact(TEST_DATABASE_URL)} does not answer (${redact(why ?? '')}); start a server or set DATABASE_URL`;
    } finally {
      await client.end().catch(() => {});
    }
  },
  async Redis() {
    const url = new URL(TEST_REDIS_URL);
    if (await tcpOpen(url.hostname, Number(url.port || 6379))) return undefined;
    return `Redis: nothing listens at ${url.host}; start redis-server or set REDIS_URL`;
  },
  async k6() {
    if (findK6()) return undefined;
    return `k6: no k6 ${K6_VERSION} in K6_BINARY, .tools/bin or PATH; \`npm run k6:install\` builds it (needs Go)`;
  },
  async Chromium() {
    if (existsSync(CHROMIUM_PATH)) return undefined;
    return `Chromium: ${CHROMIUM_PATH} not found; apt-get install chromium, or set CHROMIUM_PATH`;
  },
};

/** Why `service` is missing here, in one line that says how to get it; undefined when it is present. */
export function whyMissing(service: Service): Promise<string | undefined> {
  return PROBES[service]();
}

/**
 * Test options for a `describe` or `it` that needs `services`: run when all are present; otherwise
 * skipped with the reason (listed at the end of the run), or, under CI=true, an error naming each
 * missing piece on its own line, which fails the file.
 */
export async function needs(...services: Service[]): Promise<TestOptions> {
  const missing = (await Promise.all(services.map(whyMissing))).filter((m): m is string => !!m);
  if (missing.length === 0) return { skip: false };
  if (IN_CI) throw new Error(`required under CI=true:\n${missing.join('\n')}`);
  return { skip: true, meta: { skipReason: missing.join('; ') } };
}

/** Whether PostgreSQL answers; throws under CI when it does not. Prefer `needs()`, whose skips carry a reason. */
export async function postgresAvailable(): Promise<boolean> {
  return !(await needs('PostgreSQL')).skip;
}

/** Whether Redis accepts connections; throws under CI when it does not. Prefer `needs()`. */
export async function redisAvailable(): Promise<boolean> {
  return !(await needs('Redis')).skip;
}

/** Whether the k6 at `k6Path` runs; throws under CI when it does not. Prefer `needs('k6')`. */
export function k6Available(k6Path: string): boolean {
  const ok = k6VersionOf(k6Path) !== undefined;
  if (!ok && IN_CI)
    throw new Error(`required under CI=true:\nk6: ${k6Path} does not run; \`npm run k6:install\``);
  return ok;
}
