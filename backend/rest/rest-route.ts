import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateRest } from '../auth.ts';
import type { DbPool } from '../db-pool.ts';
import { isAnonymous, type Principal } from '../rls.ts';
import { checkColumnPrivileges } from './column-privileges.ts';
import { parseJsonText } from './json-body.ts';
import {
  fromPgError,
  invalidBody,
  PostgrestError,
  rlsViolation,
  unknownWriteColumn,
} from './postgrest-error.ts';
import { parsePrefer } from './prefer.ts';
import type { PrimaryKeyLookup } from './primary-keys.ts';
import { parseQuery } from './query-parser.ts';
import { buildInsert, buildSelect, buildUpdate, type Statement } from './sql-builder.ts';
import { hasColumn, type TableSpec, tableSpec } from './tables.ts';

/** Supabase's default "Max rows" of the Data API: a response never carries more rows. */
export const DEFAULT_MAX_ROWS = 1000;

/** What the REST routes need. */
export interface RestDeps {
  db: DbPool;
  jwtSecret: string;
  maxRows: number;
  /** Fault injection: `pg_sleep(ms)` before `share` of the reads, on the same connection. */
  slowQuery?: { ms: number; share: number } | undefined;
  random?: () => number;
  /** Primary keys from the catalog (upsert default); the static key when absent. */
  primaryKey?: PrimaryKeyLookup;
}

interface TableParams {
  table: string;
}

function searchParams(request: FastifyRequest): URLSearchParams {
  const q = request.url.indexOf('?');
  return new URLSearchParams(q >= 0 ? request.url.slice(q + 1) : '');
}

function checkProfile(request: FastifyRequest): void {
  const profile = request.headers['accept-profile'] ?? request.headers['content-profile'];
  if (profile !== undefined && profile !== 'public') {
    throw new PostgrestError(406, 'PGRST106', 'The schema must be one of the following: public', null, null);
  }
}

/** Parses a `Range: 0-9` header into offset and limit; PGRST103 (416) when malformed. */
function parseRange(value: string | undefined): { offset: number; limit?: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:items=)?(\d+)-(\d*)$/.exec(value.trim());
  if (!m)
    throw new PostgrestError(
      416,
      'PGRST103',
      'Requested range not satisfiable',
      `Invalid Range header: ${value}`,
    );
  const from = Number(m[1]);
  if (m[2] === '') return { offset: from };
  const to = Number(m[2]);
  if (to < from) throw new PostgrestError(416, 'PGRST103', 'Requested range not satisfiable', `${value}`);
  return { offset: from, limit: to - from + 1 };
}

function parseJsonBody(request: FastifyRequest): unknown {
  const raw = request.body;
  if (typeof raw !== 'string' || raw.trim() === '') throw invalidBody('the request body is empty');
  try {
    return parseJsonText(raw);
  } catch (error) {
    throw invalidBody((error as Error).message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function run(deps: RestDeps, principal: Principal, kind: string, stmt: Statement, read: boolean) {
  try {
    return await deps.db.withSession(async (session) => {
      const fault = deps.slowQuery;
      if (read && fault && fault.share > 0 && (deps.random ?? Math.random)() < fault.share) {
        await session.query('fault.sleep', 'select pg_catalog.pg_sleep($1)', [fault.ms / 1000]);
      }
      return session.query<{
        total_result_set?: string | null;
        page_total?: string;
        denied?: string;
        input?: string;
        written?: string;
        body: string;
      }>(kind, stmt.text, stmt.values);
    });
  } catch (error) {
    throw fromPgError(error, isAnonymous(principal));
  }
}

function stripNulls(rows: unknown): unknown {
  if (Array.isArray(rows)) return rows.map(stripNulls);
  if (isRecord(rows)) return Object.fromEntries(Object.entries(rows).filter(([, v]) => v !== null));
  return rows;
}

/** Sends a JSON body already rendered by PostgreSQL, honouring the object and nulls=stripped media types. */
function sendRows(reply: FastifyReply, accept: string, body: string, head: boolean): FastifyReply {
  reply.header('content-type', 'application/json; charset=utf-8');
  if (head) return reply.send();
  if (accept.includes('application/vnd.pgrst.object+json')) {
    let row = (JSON.parse(body) as unknown[])[0];
    if (accept.includes('nulls=stripped')) row = stripNulls(row);
    return reply.send(JSON.stringify(row));
  }
  if (accept.includes('nulls=stripped')) return reply.send(JSON.stringify(stripNulls(JSON.parse(body))));
  return reply.send(body);
}

async function handleRead(
  deps: RestDeps,
  request: FastifyRequest<{ Params: TableParams }>,
  reply: FastifyReply,
) {
  checkProfile(request);
  const params = searchParams(request);
  const principal = await authenticateRest(request.headers, params.get('apikey'), deps.jwtSecret);
  const table = tableSpec(request.params.table);
  const query = parseQuery(table, params);
  const prefer = parsePrefer(request.headers.prefer);
  const range = parseRange(request.headers.range as string | undefined);
  const stmt = buildSelect(table, principal, query, {
    count: prefer.count,
    maxRows: deps.maxRows,
    ...(range ? { range } : {}),
  });
  const result = await run(deps, principal, `select.${table.name}`, stmt, true);
  const row = result.rows[0]!;
  const pageTotal = Number(row.page_total);
  const total =
    row.total_result_set === null || row.total_result_set === undefined ? null : Number(row.total_result_set);
  const accept = String(request.headers.accept ?? '');
  if (accept.includes('application/vnd.pgrst.object+json') && pageTotal !== 1) {
    throw new PostgrestError(
      406,
      'PGRST116',
      'Cannot coerce the result to a single JSON object',
      `The result contains ${pageTotal} rows`,
    );
  }
  // PostgREST's rangeStatusHeader: 416 past the end, 206 when a counted total exceeds the page.
  const lower = stmt.offset;
  const upper = lower + pageTotal - 1;
  if (total !== null && lower > total) {
    throw new PostgrestError(
      416,
      'PGRST103',
      'Requested range not satisfiable',
      `An offset of ${lower} was requested, but there are only ${total} rows.`,
    );
  }
  reply.header('content-range', `${pageTotal > 0 ? `${lower}-${upper}` : '*'}/${total ?? '*'}`);
  reply.status(total !== null && pageTotal < total ? 206 : 200);
  return sendRows(reply, accept, row.body, request.method === 'HEAD');
}

function writeColumns(table: TableSpec, keys: Iterable<string>): string[] {
  const columns = [...new Set(keys)];
  for (const c of columns) if (!hasColumn(table, c)) throw unknownWriteColumn(table.name, c);
  return columns;
}

async function handleWrite(
  deps: RestDeps,
  request: FastifyRequest<{ Params: TableParams }>,
  reply: FastifyReply,
  method: 'POST' | 'PATCH',
) {
  checkProfile(request);
  const params = searchParams(request);
  const principal = await authenticateRest(request.headers, params.get('apikey'), deps.jwtSecret);
  const table = tableSpec(request.params.table);
  const query = parseQuery(table, params);
  const prefer = parsePrefer(request.headers.prefer);
  const body = parseJsonBody(request);
  const returning = prefer.return === 'representation' ? query.select : null;
  let stmt: Statement;
  let kind: string;
  if (method === 'POST') {
    const rows = Array.isArray(body) ? body : [body];
    if (!rows.every(isRecord)) throw invalidBody('expected a JSON object or an array of objects');
    const columns =
      query.columns ??
      writeColumns(
        table,
        rows.flatMap((r) => Object.keys(r)),
      );
    if (rows.length === 0 || columns.length === 0) {
      reply.status(201).header('content-range', '*/0');
      return returning
        ? reply.header('content-type', 'application/json; charset=utf-8').send('[]')
        : reply.send();
    }
    checkColumnPrivileges(table, principal, 'insert', columns);
    if (isAnonymous(principal)) throw rlsViolation(table.name, true);
    const onConflict =
      query.onConflict ??
      (prefer.resolution === 'none'
        ? [...table.primaryKey]
        : await (deps.primaryKey?.(table) ?? [...table.primaryKey]));
    if (prefer.resolution === 'merge-duplicates') {
      const updated = columns.filter((c) => !onConflict.includes(c));
      checkColumnPrivileges(table, principal, 'update', updated);
    }
    stmt = buildInsert(
      table,
      principal,
      JSON.stringify(rows),
      columns,
      prefer.resolution,
      onConflict,
      returning,
    );
    kind = `${prefer.resolution === 'none' ? 'insert' : 'upsert'}.${table.name}`;
  } else {
    if (!isRecord(body)) throw invalidBody('expected a JSON object');
    const columns = writeColumns(table, Object.keys(body));
    if (columns.length === 0) return reply.status(204).send();
    checkColumnPrivileges(table, principal, 'update', columns);
    stmt = buildUpdate(table, principal, JSON.stringify(body), columns, query.filters, returning);
    kind = `update.${table.name}`;
  }
  const result = await run(deps, principal, kind, stmt, false);
  const row = result.rows[0]!;
  if (Number(row.denied) > 0) throw rlsViolation(table.name, isAnonymous(principal));
  const written = Number(row.written);
  if (prefer.count) reply.header('content-range', `*/${written}`);
  if (returning) {
    reply.status(method === 'POST' ? 201 : 200);
    return sendRows(reply, String(request.headers.accept ?? ''), row.body, false);
  }
  return reply.status(method === 'POST' ? 201 : 204).send();
}

/** Registers the Supabase REST subset at /rest/v1/:table (GET, HEAD, POST, PATCH). */
export function registerRestRoutes(app: FastifyInstance, deps: RestDeps): void {
  const url = '/rest/v1/:table';
  app.route<{ Params: TableParams }>({
    method: ['GET', 'HEAD'],
    url,
    exposeHeadRoute: false,
    handler: (request, reply) => handleRead(deps, request, reply),
  });
  app.post<{ Params: TableParams }>(url, (request, reply) => handleWrite(deps, request, reply, 'POST'));
  app.patch<{ Params: TableParams }>(url, (request, reply) => handleWrite(deps, request, reply, 'PATCH'));
  app.route<{ Params: TableParams }>({
    method: ['DELETE', 'PUT'],
    url,
    handler: () => {
      throw new PostgrestError(
        405,
        'PGRST117',
        'Unsupported HTTP method',
        'This target serves GET, HEAD, POST and PATCH.',
      );
    },
  });
}
