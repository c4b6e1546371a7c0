import { isIP } from 'node:net';
import { parse as parsePgUrl } from 'pg-connection-string';

/** True for loopback names and addresses (localhost, 127.0.0.0/8, ::1) and Unix-socket paths. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === '' || h.startsWith('/')) return true; // empty host or a socket directory: local
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** The host a PostgreSQL or HTTP URL points at (`host` query parameter wins, as libpq does). */
export function hostOfUrl(url: string): string {
  if (/^postgres(ql)?:/i.test(url)) return parsePgUrl(url).host ?? '';
  return decodeURIComponent(new URL(url).hostname);
}

/**
 * Decides whether load, seeding or resets may go to `url`: loopback always, any other host only
 * when the user named exactly that host with `--allow-remote`. Returns a reason when refused.
 */
export function remoteRefusal(url: string, allowRemote: string | undefined): string | undefined {
  const host = hostOfUrl(url);
  if (isLoopbackHost(host)) return undefined;
  if (allowRemote !== undefined && allowRemote.toLowerCase() === host.toLowerCase()) return undefined;
  return `host ${host} is not loopback; pass --allow-remote ${host} to use it`;
}
