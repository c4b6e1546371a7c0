import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../core/load-yaml-config.ts';

/** Folder of the SQL fixtures (plain.sql, partitioned.sql, auth.sql, harness.sql, *.indexes.sql). */
export const SCHEMA_DIR = join(FIXTURES_DIR, 'schema');

/** Reads fixtures/schema/<name> and splits it into statements (comments dropped, `;` at line ends). */
export function readSqlStatements(name: string): string[] {
  const text = readFileSync(join(SCHEMA_DIR, name), 'utf8')
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
  return text
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
