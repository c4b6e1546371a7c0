import { describe, expect, it } from 'vitest';
import { isPostgrestError } from './postgrest-error.ts';
import { parseInList, parseQuery, splitTopLevel } from './query-parser.ts';
import { TABLES } from './tables.ts';

const q = (s: string) => parseQuery(TABLES.conversations, new URLSearchParams(s));

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isPostgrestError(error)) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
}

describe('parseQuery', () => {
  it('parses what supabase-js sends for deltaSync', () => {
    const parsed = parseQuery(
      TABLES.messages,
      new URLSearchParams('select=*&conversation_id=in.(a,b,"c,d")&created_at=gt.2026-01-01T00:00:00.000Z'),
    );
    expect(parsed.select.map((s) => s.column)).toEqual(TABLES.messages.columns);
    expect(parsed.filters).toEqual([
      { column: 'conversation_id', op: 'in', negate: false, value: ['a', 'b', 'c,d'] },
      { column: 'created_at', op: 'gt', negate: false, value: '2026-01-01T00:00:00.000Z' },
    ]);
  });

  it('parses select lists with aliases, order, limit, offset and negation', () => {
    const parsed = q(
      'select=id,name:title&order=updated_at.desc.nullslast,id&limit=100&offset=5&title=not.is.null',
    );
    expect(parsed.select).toEqual([{ column: 'id' }, { column: 'title', alias: 'name' }]);
    expect(parsed.order).toEqual([
      { column: 'updated_at', direction: 'desc', nulls: 'last' },
      { column: 'id', direction: 'asc' },
    ]);
    expect(parsed.limit).toBe(100);
    expect(parsed.offset).toBe(5);
    expect(parsed.filters).toEqual([{ column: 'title', op: 'is', negate: true, value: 'null' }]);
  });

  it('answers bad input with PostgREST codes', () => {
    expect(errorOf(() => q('nope=eq.1'))).toMatchObject({ status: 400, code: '42703' });
    expect(errorOf(() => q('select=id,nope'))).toMatchObject({ status: 400, code: '42703' });
    expect(errorOf(() => q('id=foo.1'))).toMatchObject({ status: 400, code: 'PGRST100' });
    expect(errorOf(() => q('id=eq'))).toMatchObject({ status: 400, code: 'PGRST100' });
    expect(errorOf(() => q('title=is.maybe'))).toMatchObject({ status: 400, code: 'PGRST100' });
    expect(errorOf(() => q('order=id.sideways'))).toMatchObject({ status: 400, code: 'PGRST100' });
    expect(errorOf(() => q('limit=-1'))).toMatchObject({ status: 400, code: 'PGRST100' });
    expect(errorOf(() => q('limit=99999999999999999999999'))).toMatchObject({
      status: 400,
      code: 'PGRST100',
    });
    expect(errorOf(() => q('or=(id.eq.1,id.eq.2)'))).toMatchObject({ status: 400, code: 'PGRST100' });
    expect(errorOf(() => q('select=*,messages(*)'))).toMatchObject({ status: 400, code: 'PGRST200' });
    expect(errorOf(() => q('columns="id","bogus"'))).toMatchObject({ status: 400, code: 'PGRST204' });
  });

  it('splits lists only at top-level commas', () => {
    expect(splitTopLevel('a,"b,c",d(e,f)')).toEqual(['a', '"b,c"', 'd(e,f)']);
    expect(parseInList('()', 'x')).toEqual([]);
    expect(() => parseInList('a,b', 'x')).toThrow();
  });
});
