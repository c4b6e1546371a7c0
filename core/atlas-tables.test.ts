import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATLAS_COLUMNS } from './atlas-tables.ts';
import { FIXTURES_DIR } from './load-yaml-config.ts';

/** Column names of every `create table` in a SQL file, read from the SQL text itself. */
function columnsInSql(file: string): Record<string, string[]> {
  const sql = readFileSync(join(FIXTURES_DIR, 'schema', file), 'utf8').replace(/--[^\n]*/g, '');
  const tables: Record<string, string[]> = {};
  for (const m of sql.matchAll(/create table (\w+) \(([\s\S]*?)\n\)/gi)) {
    tables[m[1]!] = m[2]!
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !/^(primary key|unique|constraint|check|foreign key)\b/i.test(line))
      .map((line) => line.split(/\s+/)[0]!);
  }
  return tables;
}

describe('ATLAS_COLUMNS', () => {
  for (const file of ['plain.sql', 'partitioned.sql']) {
    it(`lists exactly the tables and columns of fixtures/schema/${file}, in order`, () => {
      expect(columnsInSql(file)).toEqual(ATLAS_COLUMNS);
    });
  }
});
