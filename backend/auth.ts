import { JwtError, verifyJwt } from './jwt.ts';
import { PostgrestError } from './rest/postgrest-error.ts';
import type { Principal } from './rls.ts';

/** Request headers auth reads (node lower-cases names). */
export type AuthHeaders = Record<string, string | string[] | undefined>;

function header(headers: AuthHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function invalidToken(message: string): PostgrestError {
  return new PostgrestError(401, 'PGRST301', message, null, null, {
    'www-authenticate': `Bearer error="invalid_token", error_description="${message}"`,
  });
}

/** Extracts the token of `Authorization: Bearer <token>`; undefined when the header is absent. */
export function bearerToken(headers: AuthHeaders): string | undefined {
  const value = header(headers, 'authorization');
  if (value === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  if (!match) throw invalidToken('Authorization header is not of the form "Bearer <JWT>"');
  return match[1]!;
}

/** Verified tokens kept (PostgREST caches JWT validation likewise); cleared whole when full. */
const CACHE_MAX_ENTRIES = 10_000;
/** A token without exp is re-verified after a minute. */
const CACHE_DEFAULT_MS = 60_000;
const verifiedCache = new Map<string, { principal: Principal; until: number }>();

async function verified(token: string, secret: string): Promise<Principal> {
  const key = `${secret}\u0000${token}`;
  const hit = verifiedCache.get(key);
  if (hit && hit.until > Date.now()) return hit.principal;
  try {
    const claims = await verifyJwt(token, secret);
    const principal: Principal =
      claims.sub === undefined ? { role: claims.role } : { role: claims.role, sub: claims.sub };
    if (verifiedCache.size >= CACHE_MAX_ENTRIES) verifiedCache.clear();
    verifiedCache.set(key, {
      principal,
      until: claims.exp !== undefined ? claims.exp * 1000 : Date.now() + CACHE_DEFAULT_MS,
    });
    return principal;
  } catch (error) {
    if (error instanceof JwtError) throw invalidToken(error.message);
    throw error;
  }
}

/**
 * Authenticates a REST request as Supabase does: the API gateway requires an `apikey` (header or
 * query parameter) that is the project's anon or service_role key; PostgREST then acts as the
 * role of `Authorization: Bearer <JWT>`, or of the apikey when no Authorization header is sent.
 * Missing or invalid credentials get 401.
 */
export async function authenticateRest(
  headers: AuthHeaders,
  apikeyParam: string | null,
  secret: string,
): Promise<Principal> {
  const apikey = header(headers, 'apikey') ?? apikeyParam ?? undefined;
  if (apikey === undefined || apikey === '') {
    throw new PostgrestError(
      401,
      'PGRST302',
      'No API key found in request',
      null,
      'No `apikey` request header or url param was found.',
    );
  }
  let key: Principal;
  try {
    key = await verified(apikey, secret);
  } catch {
    throw new PostgrestError(
      401,
      'PGRST301',
      'Invalid API key',
      null,
      'Double check your Supabase `anon` or `service_role` API key.',
    );
  }
  if (key.role === 'authenticated') {
    throw new PostgrestError(
      401,
      'PGRST301',
      'Invalid API key',
      null,
      'An apikey must be the anon or service_role key.',
    );
  }
  const token = bearerToken(headers);
  return token === undefined ? key : verified(token, secret);
}

/** Authenticates an Atlas backend call (`verifyJWT`): a user's access token is required. */
export async function authenticateUser(
  headers: AuthHeaders,
  secret: string,
): Promise<Principal & { sub: string }> {
  const token = bearerToken(headers);
  if (token === undefined) {
    throw new PostgrestError(401, 'unauthorized', 'Missing Authorization: Bearer <JWT> header', null, null, {
      'www-authenticate': 'Bearer',
    });
  }
  const principal = await verified(token, secret);
  if (principal.role !== 'authenticated' || principal.sub === undefined) {
    throw invalidToken('a user access token (role authenticated, with sub) is required');
  }
  return principal as Principal & { sub: string };
}
