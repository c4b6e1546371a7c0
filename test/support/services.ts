import { execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import pg from 'pg';

/** True when the test run is CI's: a missing service then fails the run instead of skipping. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** PostgreSQL the integration tests use: DATABASE_URL, else the machine's server at 127.0.0.1:5432. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Redis the integration tests use: REDIS_URL, else the machine's server at 127.0.0.1:6379. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function required(name: string, ok: boolean, why: string): boolean {
  if (!ok && IN_CI) throw new Error(`${name} is required under CI=true but is not available: ${why}`);
  if (!ok) console.warn(`[skip] ${name} not available here (${why}); CI fails instead of skipping`);
  return ok;
}

async function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port, timeout: 1000 });
    socket.once('connect', () => done(socket.end() !== undefined));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(socket.destroy() === undefined));
  });
}

/** Whether PostgreSQL answers; throws under CI when it does not. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return required('PostgreSQL', true, '');
  } catch (error) {
    return required('PostgreSQL', false, (error as Error).message);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Whether Redis accepts connections; throws under CI when it does not. */
export async function redisAvailable(): Promise<boolean> {
  const url = new URL(TEST_REDIS_URL);
  const ok = await tcpOpen(url.hostname, Number(url.port || 6379));
  return required('Redis', ok, `nothing listens at ${url.host}`);
}

/** Whether a k6 binary runs (path given); throws under CI when it does not. */
export function k6Available(k6Path: string): boolean {
  try {
    execFileSync(k6Path, ['version'], { stdio: 'ignore' });
    return required('k6', true, '');
  } catch (error) {
    return required('k6', false, (error as Error).message);
  }
}
