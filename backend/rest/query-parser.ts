import { PostgrestError, parseError, unknownColumn } from './postgrest-error.ts';
import { hasColumn, type TableSpec } from './tables.ts';

/** Filter operators of the supported PostgREST subset. */
export const OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is'] as const;
/** One filter operator. */
export type Operator = (typeof OPERATORS)[number];

/** One `column=op.value` (or `column=not.op.value`) condition. */
export interface Filter {
  column: string;
  op: Operator;
  negate: boolean;
  /** The operand: a string, a list for `in`, a keyword for `is`. */
  value: string | string[];
}

/** One output column, optionally renamed (`alias:column`). */
export interface SelectItem {
  column: string;
  alias?: string;
}

/** One `order` term. */
export interface OrderTerm {
  column: string;
  direction: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

/** What a REST request's query string asks for. */
export interface ParsedQuery {
  select: SelectItem[];
  filters: Filter[];
  order: OrderTerm[];
  limit?: number;
  offset?: number;
  /** `columns=` of an insert (supabase-js sends it for bulk inserts). */
  columns?: string[];
  /** `on_conflict=` of an upsert. */
  onConflict?: string[];
}

/** Query parameters that are not filters. */
const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict', 'apikey']);
/** Logical trees (or/and) are outside the subset the Atlas clients use. */
const LOGICAL = new Set(['or', 'and', 'not.or', 'not.and']);
/** Largest `in` list accepted: bounds the statement's parameters (PostgreSQL allows 65,535). */
export const MAX_IN_VALUES = 1000;
/** Largest number accepted for limit/offset: beyond it the number is not an int8 PostgreSQL can use. */
const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

/** Splits on commas outside double quotes and parentheses. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quoted && i + 1 < text.length) {
      current += c + text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    if (c === ',' && depth === 0 && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return text;
}

function requireColumn(table: TableSpec, column: string): string {
  if (!hasColumn(table, column)) throw unknownColumn(table.name, column);
  return column;
}

/** Parses `select=`: `*`, columns, `alias:column`; embedding, casts and JSON paths are refused. */
export function parseSelect(table: TableSpec, raw: string | null): SelectItem[] {
  if (raw === null || raw.trim() === '' || raw.trim() === '*')
    return table.columns.map((column) => ({ column }));
  const items: SelectItem[] = [];
  for (const part of splitTopLevel(raw.replace(/\s+/g, ''))) {
    if (part === '') throw parseError(`select (${raw})`, 'empty column name');
    if (part === '*') {
      items.push(...table.columns.map((column) => ({ column })));
      continue;
    }
    if (part.includes('(')) {
      const related = part.slice(0, part.indexOf('(')).split(':').pop()!.split('!')[0];
      throw new PostgrestError(
        400,
        'PGRST200',
        `Could not find a relationship between '${table.name}' and '${related}' in the schema cache`,
        'Embedding is outside the REST subset this target serves.',
      );
    }
    if (part.includes('::') || part.includes('->')) {
      throw parseError(`select (${raw})`, 'casts and JSON paths are outside the supported subset');
    }
    const colon = part.indexOf(':');
    const alias = colon >= 0 ? unquote(part.slice(0, colon)) : undefined;
    const column = requireColumn(table, unquote(colon >= 0 ? part.slice(colon + 1) : part));
    if (alias !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) {
      throw parseError(`select (${raw})`, `unsupported alias ${JSON.stringify(alias)}`);
    }
    items.push(alias === undefined || alias === column ? { column } : { column, alias });
  }
  return items;
}

/** Parses the list of `in.(a,b,"c,d")`. */
export function parseInList(raw: string, whole: string): string[] {
  if (!raw.startsWith('(') || !raw.endsWith(')')) {
    throw parseError(`filter (${whole})`, 'unexpected end of input expecting "("');
  }
  const inner = raw.slice(1, -1);
  if (inner === '') return [];
  const values = splitTopLevel(inner).map(unquote);
  if (values.length > MAX_IN_VALUES) {
    throw parseError(`filter (${whole.slice(0, 40)}...)`, `more than ${MAX_IN_VALUES} values in an in list`);
  }
  return values;
}

/** Parses one filter `op.value` (PostgREST syntax) on `column`. */
export function parseFilter(table: TableSpec, column: string, raw: string): Filter {
  const whole = `${column}=${raw}`;
  let rest = raw;
  let negate = false;
  if (rest.startsWith('not.')) {
    negate = true;
    rest = rest.slice(4);
  }
  const dot = rest.indexOf('.');
  const op = dot >= 0 ? rest.slice(0, dot) : rest;
  if (!(OPERATORS as readonly string[]).includes(op) || dot < 0) {
    throw parseError(
      `filter (${raw})`,
      `unexpected "${rest.slice(0, 10)}" expecting "not" or operator (${OPERATORS.join(', ')})`,
    );
  }
  requireColumn(table, column);
  const operand = rest.slice(dot + 1);
  if (op === 'in') return { column, op, negate, value: parseInList(operand, whole) };
  if (op === 'is') {
    const keyword = operand.toLowerCase();
    if (!['null', 'true', 'false', 'unknown'].includes(keyword)) {
      throw parseError(`filter (${raw})`, 'is expects null, true, false or unknown');
    }
    return { column, op, negate, value: keyword };
  }
  return { column, op: op as Operator, negate, value: operand };
}

/** Parses `order=col.desc.nullslast,col2`. */
export function parseOrder(table: TableSpec, raw: string): OrderTerm[] {
  return splitTopLevel(raw).map((term) => {
    const [column = '', ...modifiers] = term.split('.');
    const out: OrderTerm = { column: requireColumn(table, unquote(column)), direction: 'asc' };
    for (const m of modifiers) {
      if (m === 'asc' || m === 'desc') out.direction = m;
      else if (m === 'nullsfirst') out.nulls = 'first';
      else if (m === 'nullslast') out.nulls = 'last';
      else
        throw parseError(
          `order (${term})`,
          `unexpected "${m}" expecting "asc", "desc", "nullsfirst" or "nullslast"`,
        );
    }
    return out;
  });
}

/** Parses a non-negative integer parameter (limit, offset). */
export function parseCount(name: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw parseError(`${name} parameter (${raw})`, 'expecting a non-negative integer');
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n > MAX_INTEGER) {
    throw parseError(`${name} parameter (${raw.slice(0, 30)})`, `larger than ${MAX_INTEGER}`);
  }
  return n;
}

function parseColumnList(table: TableSpec, raw: string, write: (c: string) => PostgrestError): string[] {
  return splitTopLevel(raw).map((c) => {
    const column = unquote(c.trim());
    if (!hasColumn(table, column)) throw write(column);
    return column;
  });
}

/** Parses a REST request's query string against `table`'s whitelist. */
export function parseQuery(table: TableSpec, params: URLSearchParams): ParsedQuery {
  const out: ParsedQuery = { select: parseSelect(table, params.get('select')), filters: [], order: [] };
  for (const [key, value] of params) {
    if (RESERVED.has(key)) continue;
    if (LOGICAL.has(key)) {
      throw parseError(`logic tree (${key}=${value})`, 'or/and trees are outside the supported subset');
    }
    out.filters.push(parseFilter(table, key, value));
  }
  const order = params.get('order');
  if (order !== null) out.order = parseOrder(table, order);
  const limit = params.get('limit');
  if (limit !== null) out.limit = parseCount('limit', limit);
  const offset = params.get('offset');
  if (offset !== null) out.offset = parseCount('offset', offset);
  const columns = params.get('columns');
  if (columns !== null) {
    out.columns = parseColumnList(
      table,
      columns,
      (c) =>
        new PostgrestError(
          400,
          'PGRST204',
          `Could not find the '${c}' column of '${table.name}' in the schema cache`,
        ),
    );
  }
  const onConflict = params.get('on_conflict');
  if (onConflict !== null)
    out.onConflict = parseColumnList(table, onConflict, (c) => unknownColumn(table.name, c));
  return out;
}
