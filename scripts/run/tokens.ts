import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signJwt } from '../../backend/jwt.ts';

// The runner signs every user's access token once, before k6 starts: HMAC signing inside k6 would cost
// the load generator tens of microseconds per iteration, and k6 then never holds the JWT secret.
// Tokens are credentials: they live in a private temporary folder removed after the run, never in the
// run record.

/** A users export with a `token` column, in a private folder; `remove()` deletes it. */
export interface TokenizedUsers {
  csv: string;
  remove(): void;
}

/** Copies the users export adding a `token` column (role authenticated, `ttlSeconds` to live). */
export async function writeUsersWithTokens(
  usersCsv: string,
  secret: string,
  ttlSeconds: number,
): Promise<TokenizedUsers> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-tokens-'));
  chmodSync(dir, 0o700);
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const lines = readFileSync(usersCsv, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.length > 0);
    const header = lines.shift() ?? '';
    const idColumn = header.split(',').indexOf('id');
    if (idColumn < 0) throw new Error(`${usersCsv} has no id column`);
    const out: string[] = [`${header},token`];
    for (const line of lines) {
      const id = line.split(',')[idColumn]!;
      out.push(`${line},${await signJwt({ role: 'authenticated', sub: id }, secret, ttlSeconds)}`);
    }
    const csv = join(dir, 'users.csv');
    writeFileSync(csv, out.join('\n') + '\n', { mode: 0o600 });
    return { csv, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
