import { describe, expect, it } from 'vitest';
import { parseQuery } from './query-parser.ts';
import { buildInsert, buildSelect, buildUpdate } from './sql-builder.ts';
import { TABLES } from './tables.ts';

const user = { role: 'authenticated' as const, sub: '00000000-0000-4000-8000-000000000001' };

describe('buildSelect', () => {
  it('parameterises every value and applies the row policy', () => {
    const query = parseQuery(
      TABLES.conversations,
      new URLSearchParams("select=*&title=eq.x';drop table profiles;--&limit=5000"),
    );
    const stmt = buildSelect(TABLES.conversations, user, query, { count: true, maxRows: 1000 });
    expect(stmt.text).not.toContain('drop table');
    expect(stmt.text).toContain('limit 1000 offset 0');
    expect(stmt.text).toContain('_t."user_id" = $1::uuid');
    expect(stmt.values).toEqual([user.sub, "x';drop table profiles;--"]);
  });

  it("reaches messages only through the user's conversations, and nothing for anon", () => {
    const query = parseQuery(TABLES.messages, new URLSearchParams(''));
    expect(buildSelect(TABLES.messages, user, query, { count: false, maxRows: 10 }).text).toContain(
      'exists (select 1 from public."conversations" _rls_c',
    );
    expect(
      buildSelect(TABLES.messages, { role: 'anon' }, query, { count: false, maxRows: 10 }).text,
    ).toContain('where false');
    expect(
      buildSelect(TABLES.messages, { role: 'service_role' }, query, { count: false, maxRows: 10 }).text,
    ).toContain('where true');
  });
});

describe('writes', () => {
  it('checks new rows and conflicting rows before an upsert writes', () => {
    const stmt = buildInsert(
      TABLES.conversations,
      user,
      '[]',
      ['id', 'user_id', 'title'],
      'merge-duplicates',
      ['id'],
      null,
    );
    expect(stmt.text).toContain('on conflict ("id") do update set "user_id" = excluded."user_id"');
    expect(stmt.text).toContain('_e."id" = _r."id"');
    expect(stmt.values).toEqual(['[]', user.sub, user.sub]);
  });

  it('guards an update that moves a row to another owner', () => {
    const moves = buildUpdate(TABLES.conversations, user, '{}', ['user_id'], [], null);
    expect(moves.text).toContain('not coalesce(_r."user_id" = $2::uuid, false)');
    const stays = buildUpdate(TABLES.conversations, user, '{}', ['title'], [], null);
    expect(stays.text).toContain('where false)');
  });
});
