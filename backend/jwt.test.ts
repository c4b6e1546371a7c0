import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  anonKey,
  DEV_JWT_SECRET,
  JwtError,
  jwtSecretFromEnv,
  serviceRoleKey,
  signJwt,
  verifyJwt,
} from './jwt.ts';

describe('jwt', () => {
  it('signs claims as Supabase issues them and verifies them', async () => {
    const token = await signJwt(
      { role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001' },
      DEV_JWT_SECRET,
    );
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: 'supabase', aud: 'authenticated', role: 'authenticated' });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(await verifyJwt(token, DEV_JWT_SECRET)).toMatchObject({
      role: 'authenticated',
      sub: '00000000-0000-4000-8000-000000000001',
    });
    expect(decodeJwt(await anonKey(DEV_JWT_SECRET))).toMatchObject({ role: 'anon' });
    expect(decodeJwt(await serviceRoleKey(DEV_JWT_SECRET))).toMatchObject({ role: 'service_role' });
  });

  it('refuses wrong secrets, expired tokens, unknown roles and garbage', async () => {
    const other = 'x'.repeat(40);
    await expect(verifyJwt(await anonKey(other), DEV_JWT_SECRET)).rejects.toThrow(JwtError);
    await expect(
      verifyJwt(await signJwt({ role: 'anon' }, DEV_JWT_SECRET, -10), DEV_JWT_SECRET),
    ).rejects.toThrow('JWT expired');
    const { SignJWT } = await import('jose');
    const admin = await new SignJWT({ role: 'postgres' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(DEV_JWT_SECRET));
    await expect(verifyJwt(admin, DEV_JWT_SECRET)).rejects.toThrow('role "postgres" does not exist');
    await expect(verifyJwt('abc', DEV_JWT_SECRET)).rejects.toThrow('Expected 3 parts in JWT; got 1');
  });

  it('takes the secret from SUPABASE_JWT_SECRET, else the development default', () => {
    expect(jwtSecretFromEnv({})).toBe(DEV_JWT_SECRET);
    expect(jwtSecretFromEnv({ SUPABASE_JWT_SECRET: 'y'.repeat(32) })).toBe('y'.repeat(32));
  });
});
