import { assertAllowedUrl } from '../../core/loopback.ts';
import { UsageError } from '../../core/usage-error.ts';
import type { RunEnvironment } from './run-options.ts';

/** Where a redis-down run's proxy connects when neither --redis-url nor REDIS_URL is given. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The hosts a run touches besides its target, as the user gave them. */
export interface RunHosts {
  target: 'local' | string;
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
  fault?: string | undefined;
  allowRemote?: string | undefined;
}

/**
 * The Redis a local run connects to (the target child, or the redis-down fault's TCP proxy):
 * `--redis-url`, else REDIS_URL when the fault needs Redis, else none. Which flag named it, for errors.
 */
export function runRedisUrl(
  hosts: RunHosts,
  environment: RunEnvironment,
): { url: string; flag: string } | undefined {
  if (hosts.redisUrl !== undefined) return { url: hosts.redisUrl, flag: '--redis-url' };
  if (hosts.fault !== 'redis-down') return undefined;
  return environment.redisUrl
    ? { url: environment.redisUrl, flag: 'REDIS_URL' }
    : { url: DEFAULT_REDIS_URL, flag: '--redis-url' };
}

/**
 * The loopback guard for every host a run reaches besides its target: the database whose seed
 * info a remote-target run reads (`--database-url`), and the Redis that the target or the
 * redis-down fault's proxy connects to. Each goes only to loopback or to the `--allow-remote` host.
 * (A local run's database is checked by resolveDatabase.) Throws a one-line UsageError.
 */
export function checkRunHosts(hosts: RunHosts, environment: RunEnvironment): void {
  if (hosts.target !== 'local' && hosts.databaseUrl !== undefined) {
    assertAllowedUrl('--database-url', hosts.databaseUrl, hosts.allowRemote);
  }
  const redis = hosts.target === 'local' ? runRedisUrl(hosts, environment) : undefined;
  if (redis === undefined) return;
  if (!/^rediss?:\/\//i.test(redis.url))
    throw new UsageError(redis.flag, 'must be a redis:// or rediss:// URL');
  assertAllowedUrl(redis.flag, redis.url, hosts.allowRemote);
}
