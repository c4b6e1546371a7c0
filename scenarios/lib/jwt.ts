import { hmac } from 'k6/crypto';
import { b64encode } from 'k6/encoding';

// HS256 tokens as Supabase issues them (claims sub, role, aud, iat, exp), signed inside k6. Only a
// fallback: `atlas-cap run` signs every user's token before k6 starts (scripts/run/tokens.ts) and k6
// reads it from the users export, never holding the secret. k6 signs here only for a user row without
// a token, as on the k6-operator runners of `atlas-cap k8s`, which read JWT_SECRET from a Secret.

/** Claims of a Supabase access token. */
export interface JwtClaims {
  sub?: string;
  role: string;
  aud?: string;
  iat: number;
  exp: number;
  [claim: string]: unknown;
}

function base64url(text: string): string {
  return b64encode(text, 'rawurl');
}

/** Signs `claims` with HS256 and `secret` (RFC 7519 compact form). */
export function signHs256(claims: JwtClaims, secret: string): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(claims));
  const signature = hmac('sha256', secret, `${head}.${body}`, 'binary');
  return `${head}.${body}.${b64encode(signature, 'rawurl')}`;
}

/** Token lifetime: one hour, as Supabase's default access tokens. */
const TOKEN_TTL_S = 3600;

const cache: Record<string, { token: string; exp: number }> = {};

/**
 * This VU's access token for `userId` (role authenticated), signed once and reused until 5 minutes
 * before it expires: signing on every request would cost the load generator CPU the target never sees.
 */
export function userToken(userId: string, secret: string): string {
  const now = Math.floor(Date.now() / 1000);
  const hit = cache[userId];
  if (hit && hit.exp - now > 300) return hit.token;
  const exp = now + TOKEN_TTL_S;
  const token = signHs256(
    { sub: userId, role: 'authenticated', aud: 'authenticated', iat: now, exp },
    secret,
  );
  cache[userId] = { token, exp };
  return token;
}
