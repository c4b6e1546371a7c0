import { isIP } from 'node:net';
import { parse as parsePgUrl } from 'pg-connection-string';
import { maskUrl } from './redact.ts';
import { UsageError } from './usage-error.ts';

// Only exact `localhost` counts as a loopback name. `*.localhost` does not: RFC 6761 lets resolvers
// send it to loopback, but the system resolver here (glibc, through /etc/hosts and DNS) does not treat
// it specially, so `db.localhost` may resolve to any address a DNS server says. An empty host is not
// "local" either: node-pg then connects to PGHOST (or localhost), so that is the host to check.

/** Environment variables node-pg reads for a URL without a host. */
export type HostEnv = Readonly<Record<string, string | undefined>>;

/** True for loopback names and addresses (localhost, 127.0.0.0/8, ::1) and Unix-socket paths. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h.startsWith('/')) return true; // a Unix-socket directory: this machine
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * The host a PostgreSQL or HTTP URL connects to (`host` query parameter wins, as libpq does). A
 * PostgreSQL URL without a host connects where node-pg would: `env.PGHOST`, else localhost.
 */
export function hostOfUrl(url: string, env: HostEnv = process.env): string {
  if (/^postgres(ql)?:/i.test(url)) return parsePgUrl(url).host || env.PGHOST || 'localhost';
  const host = decodeURIComponent(new URL(url).hostname);
  if (host === '') throw new Error('the URL names no host');
  return host;
}

/**
 * Decides whether load, seeding or resets may go to `url`: loopback always, any other host only
 * when the user named exactly that host with `--allow-remote`. Returns a reason when refused.
 * `env` is what node-pg reads for a host-less URL: the process's own unless a test passes another.
 */
export function remoteRefusal(
  url: string,
  allowRemote: string | undefined,
  env: HostEnv = process.env,
): string | undefined {
  const host = hostOfUrl(url, env);
  if (isLoopbackHost(host)) return undefined;
  if (allowRemote !== undefined && allowRemote.toLowerCase() === host.toLowerCase()) return undefined;
  const from =
    /^postgres(ql)?:/i.test(url) && !parsePgUrl(url).host ? ' (from PGHOST: the URL names no host)' : '';
  return `host ${host}${from} is not loopback; pass --allow-remote ${host} to use it`;
}

/**
 * Throws the one-line UsageError for `flag` when `url` is not a valid URL or goes to a host the
 * user did not allow (see {@link remoteRefusal}); returns quietly otherwise.
 */
export function assertAllowedUrl(
  flag: string,
  url: string,
  allowRemote: string | undefined,
  env: HostEnv = process.env,
): void {
  let refusal: string | undefined;
  try {
    refusal = remoteRefusal(url, allowRemote, env);
  } catch {
    throw new UsageError(flag, `is not a valid URL: ${maskUrl(url)}`);
  }
  if (refusal) throw new UsageError(flag, refusal);
}
