import { ownerColumn, type Principal, rowPolicy } from '../rls.ts';
import type { Filter, OrderTerm, ParsedQuery, SelectItem } from './query-parser.ts';
import { SqlParams } from './sql-params.ts';
import { quoteIdent, type TableSpec } from './tables.ts';

/** A statement ready for node-pg: SQL text with `$n` placeholders and their values. */
export interface Statement {
  text: string;
  values: unknown[];
}

const COMPARISON: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

function tableRef(table: TableSpec): string {
  return `public.${quoteIdent(table.name)}`;
}

/** One filter as SQL over `alias`; every value is a parameter. */
export function filterSql(filter: Filter, alias: string, params: SqlParams): string {
  const col = `${alias}.${quoteIdent(filter.column)}`;
  let sql: string;
  switch (filter.op) {
    case 'in': {
      const list = filter.value as string[];
      sql = list.length === 0 ? 'false' : `${col} in (${list.map((v) => params.add(v)).join(', ')})`;
      break;
    }
    case 'is':
      sql = `${col} is ${filter.value as string}`;
      break;
    case 'like':
    case 'ilike':
      sql = `${col}::text ${filter.op} ${params.add((filter.value as string).replaceAll('*', '%'))}`;
      break;
    default:
      sql = `${col} ${COMPARISON[filter.op]} ${params.add(filter.value)}`;
  }
  return filter.negate ? `not (${sql})` : sql;
}

/** RLS predicate and filters joined with `and`. */
export function whereSql(
  table: TableSpec,
  principal: Principal,
  filters: Filter[],
  alias: string,
  params: SqlParams,
): string {
  return [
    rowPolicy(table, principal, alias, params),
    ...filters.map((f) => filterSql(f, alias, params)),
  ].join(' and ');
}

function selectListSql(items: SelectItem[], alias: string): string {
  return items.map((i) => `${alias}.${quoteIdent(i.column)}${i.alias ? ` as "${i.alias}"` : ''}`).join(', ');
}

function orderSql(order: OrderTerm[], alias: string): string {
  if (order.length === 0) return '';
  const terms = order.map(
    (o) => `${alias}.${quoteIdent(o.column)} ${o.direction}${o.nulls ? ` nulls ${o.nulls}` : ''}`,
  );
  return ` order by ${terms.join(', ')}`;
}

/** Options of a read. */
export interface ReadOptions {
  /** `Prefer: count=exact`: also count every matching row. */
  count: boolean;
  /** Rows per response at most (Supabase's API "Max rows" setting). */
  maxRows: number;
  /** Page from a Range header, used when the query string has no limit/offset. */
  range?: { offset: number; limit?: number };
}

/**
 * A read as PostgREST builds it: one statement that filters, pages, optionally counts and renders
 * the JSON body in PostgreSQL. Columns: total_result_set (bigint|null), page_total, body (text).
 */
export function buildSelect(
  table: TableSpec,
  principal: Principal,
  query: ParsedQuery,
  options: ReadOptions,
): Statement & { offset: number } {
  const params = new SqlParams();
  const where = whereSql(table, principal, query.filters, '_t', params);
  const offset = query.offset ?? (query.limit === undefined ? options.range?.offset : undefined) ?? 0;
  const requested = query.limit ?? (query.offset === undefined ? options.range?.limit : undefined);
  const limit = Math.min(requested ?? options.maxRows, options.maxRows);
  const source =
    `select ${selectListSql(query.select, '_t')} from ${tableRef(table)} _t where ${where}` +
    `${orderSql(query.order, '_t')} limit ${limit} offset ${offset}`;
  const total = options.count
    ? `(select pg_catalog.count(*) from ${tableRef(table)} _t where ${where})`
    : 'null';
  const text =
    `with pgrst_source as (${source}) ` +
    `select ${total}::bigint as total_result_set, pg_catalog.count(_p) as page_total, ` +
    `coalesce(pg_catalog.json_agg(_p), '[]')::text as body from pgrst_source _p`;
  return { text, values: params.values, offset };
}

/** How an insert treats rows whose key already exists (`Prefer: resolution=...`). */
export type Resolution = 'none' | 'merge-duplicates' | 'ignore-duplicates';

/** Shape shared by writes: rows refused by RLS, rows in, rows written, the returned JSON. */
function writeTail(returning: SelectItem[] | null): string {
  const body = returning ? `coalesce(pg_catalog.json_agg(_w), '[]')::text` : `'[]'::text`;
  return (
    `select (select n from _denied) as denied, (select pg_catalog.count(*) from _input) as input, ` +
    `pg_catalog.count(_w) as written, ${body} as body from _written _w`
  );
}

/**
 * An insert (or upsert) as one atomic statement: rows come as one JSON parameter through
 * json_populate_recordset (as PostgREST does), RLS WITH CHECK is evaluated on every row first, and
 * nothing is written when any row is refused (`denied` > 0). For an upsert, a conflicting row the
 * user may not update also counts as refused.
 */
export function buildInsert(
  table: TableSpec,
  principal: Principal,
  rowsJson: string,
  columns: string[],
  resolution: Resolution,
  onConflict: string[],
  returning: SelectItem[] | null,
): Statement {
  const params = new SqlParams();
  const input = `select * from pg_catalog.json_populate_recordset(null::${tableRef(table)}, ${params.add(rowsJson)}::json)`;
  const check = rowPolicy(table, principal, '_r', params);
  let denied = `not coalesce(${check}, false)`;
  if (resolution === 'merge-duplicates' && principal.role !== 'service_role') {
    const keys = onConflict.map((c) => `_e.${quoteIdent(c)} = _r.${quoteIdent(c)}`).join(' and ');
    denied += ` or exists (select 1 from ${tableRef(table)} _e where ${keys} and not coalesce(${rowPolicy(table, principal, '_e', params)}, false))`;
  }
  const cols = columns.map(quoteIdent).join(', ');
  let conflict = '';
  if (resolution === 'ignore-duplicates')
    conflict = ` on conflict (${onConflict.map(quoteIdent).join(', ')}) do nothing`;
  if (resolution === 'merge-duplicates') {
    const updates = columns.filter((c) => !onConflict.includes(c));
    conflict =
      updates.length === 0
        ? ` on conflict (${onConflict.map(quoteIdent).join(', ')}) do nothing`
        : ` on conflict (${onConflict.map(quoteIdent).join(', ')}) do update set ${updates.map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`).join(', ')}`;
  }
  const ret = returning ? selectListSql(returning, '_t') : '1 as one';
  const text =
    `with _input as (${input}), ` +
    `_denied as (select pg_catalog.count(*) as n from _input _r where ${denied}), ` +
    `_written as (insert into ${tableRef(table)} as _t (${cols}) select ${cols} from _input where (select n from _denied) = 0${conflict} returning ${ret}) ` +
    writeTail(returning);
  return { text, values: params.values };
}

/**
 * An update as one statement: only rows the principal may see (USING) and that match the filters
 * change; when the body moves a row to another owner, WITH CHECK refuses it (`denied` > 0).
 */
export function buildUpdate(
  table: TableSpec,
  principal: Principal,
  patchJson: string,
  columns: string[],
  filters: Filter[],
  returning: SelectItem[] | null,
): Statement {
  const params = new SqlParams();
  const input = `select * from pg_catalog.json_populate_record(null::${tableRef(table)}, ${params.add(patchJson)}::json)`;
  const movesOwner = columns.includes(ownerColumn(table));
  const denied = movesOwner ? `not coalesce(${rowPolicy(table, principal, '_r', params)}, false)` : 'false';
  const sets = columns.map((c) => `${quoteIdent(c)} = _i.${quoteIdent(c)}`).join(', ');
  const where = whereSql(table, principal, filters, '_t', params);
  const ret = returning ? selectListSql(returning, '_t') : '1 as one';
  const text =
    `with _input as (${input}), ` +
    `_denied as (select pg_catalog.count(*) as n from _input _r where ${denied}), ` +
    `_written as (update ${tableRef(table)} _t set ${sets} from _input _i where (select n from _denied) = 0 and ${where} returning ${ret}) ` +
    writeTail(returning);
  return { text, values: params.values };
}
