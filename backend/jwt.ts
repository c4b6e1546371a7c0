import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

/** Supabase's local-development JWT secret (supabase CLI default), used when SUPABASE_JWT_SECRET is unset. */
export const DEV_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

/** Roles Supabase puts in the `role` claim of its tokens. */
export const JWT_ROLES = ['anon', 'authenticated', 'service_role'] as const;
/** A role Supabase issues tokens for. */
export type JwtRole = (typeof JWT_ROLES)[number];

/** Claims a caller asks `signJwt` for. */
export interface JwtClaimsInput {
  sub?: string;
  role: JwtRole;
  email?: string;
}

/** Verified claims the target acts on. */
export interface VerifiedClaims {
  role: JwtRole;
  sub?: string;
  exp?: number;
}

/** Supabase access tokens live one hour (auth jwt_expiry default). */
const USER_TTL_SECONDS = 3600;
/** API keys (anon, service_role) are long-lived; Supabase issues them for ten years. */
const KEY_TTL_SECONDS = 10 * 365 * 24 * 3600;

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** The JWT secret from SUPABASE_JWT_SECRET, else the development default. */
export function jwtSecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.SUPABASE_JWT_SECRET || DEV_JWT_SECRET;
}

/** Signs an HS256 token with claims as Supabase issues them (iss, aud for users, role, sub, iat, exp). */
export async function signJwt(claims: JwtClaimsInput, secret: string, ttlSeconds?: number): Promise<string> {
  const payload: Record<string, unknown> = { role: claims.role };
  if (claims.email !== undefined) payload.email = claims.email;
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('supabase')
    .setIssuedAt()
    .setExpirationTime(
      Math.floor(Date.now() / 1000) +
        (ttlSeconds ?? (claims.role === 'authenticated' ? USER_TTL_SECONDS : KEY_TTL_SECONDS)),
    );
  if (claims.role === 'authenticated') jwt.setAudience('authenticated');
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  return jwt.sign(keyOf(secret));
}

/** The project's anon key: a long-lived JWT with role anon. */
export function anonKey(secret: string): Promise<string> {
  return signJwt({ role: 'anon' }, secret);
}

/** The project's service_role key: a long-lived JWT with role service_role (bypasses RLS). */
export function serviceRoleKey(secret: string): Promise<string> {
  return signJwt({ role: 'service_role' }, secret);
}

/** Why a token was refused; `message` is safe to send back (it never contains the token). */
export class JwtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwtError';
  }
}

/** Verifies an HS256 token and its role claim; throws JwtError with PostgREST's wording otherwise. */
export async function verifyJwt(token: string, secret: string): Promise<VerifiedClaims> {
  if (token.split('.').length !== 3) {
    throw new JwtError(`Expected 3 parts in JWT; got ${token.split('.').length}`);
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), { algorithms: ['HS256'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new JwtError('JWT expired');
    throw new JwtError('JWT cryptographic operation failed');
  }
  const role = payload.role;
  if (typeof role !== 'string' || !(JWT_ROLES as readonly string[]).includes(role)) {
    throw new JwtError(`role "${String(role)}" does not exist`);
  }
  const claims: VerifiedClaims = { role: role as JwtRole };
  if (typeof payload.sub === 'string') claims.sub = payload.sub;
  if (typeof payload.exp === 'number') claims.exp = payload.exp;
  return claims;
}
