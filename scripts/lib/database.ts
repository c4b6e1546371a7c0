import pg from 'pg';
import { remoteRefusal } from '../../core/loopback.ts';
import { maskUrl } from '../../core/redact.ts';
import { UsageError } from '../../core/usage-error.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

/** Where the database URL came from, for messages and run records. */
export type DatabaseSource = 'flag' | 'env' | 'embedded';

/** A database the command may use, and how to release it. */
export interface ResolvedDatabase {
  url: string;
  source: DatabaseSource;
  /** The URL with its password masked: the only form that may be printed or recorded. */
  display: string;
  /** Stops the embedded server when this process started it; otherwise does nothing. */
  release(): Promise<void>;
}

/** Options shared by every command that touches PostgreSQL. */
export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  allowRemote?: string | undefined;
}

/**
 * Precedence: `--database-url`, then DATABASE_URL, then an embedded PostgreSQL started on demand.
 * Refuses non-loopback hosts unless `--allow-remote` names the host, and checks the server answers.
 */
export async function resolveDatabase(
  options: DatabaseOptions,
  log: (line: string) => void = () => {},
): Promise<ResolvedDatabase> {
  const fromFlag = options.databaseUrl;
  const fromEnv = process.env.DATABASE_URL;
  if (fromFlag === undefined && !fromEnv) {
    const embedded = await startEmbeddedPostgres(log);
    return { url: embedded.url, source: 'embedded', display: maskUrl(embedded.url), release: embedded.stop };
  }
  const url = (fromFlag ?? fromEnv)!;
  const flag = fromFlag !== undefined ? '--database-url' : 'DATABASE_URL';
  let refusal: string | undefined;
  try {
    refusal = remoteRefusal(url, options.allowRemote);
  } catch {
    throw new UsageError(flag, `is not a valid URL: ${maskUrl(url)}`);
  }
  if (refusal) throw new UsageError(flag, refusal);
  await assertReachable(url, flag);
  return {
    url,
    source: fromFlag !== undefined ? 'flag' : 'env',
    display: maskUrl(url),
    release: async () => {},
  };
}

/** Connects once and fails with a UsageError (masked URL) when the server cannot be reached. */
export async function assertReachable(url: string, flag = '--database-url'): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new UsageError(flag, `cannot reach database ${maskUrl(url)}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}
