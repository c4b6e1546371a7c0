/** The JSON body PostgREST sends with every error. */
export interface PostgrestErrorBody {
  code: string;
  details: string | null;
  hint: string | null;
  message: string;
}

/** An error answered in PostgREST's shape `{code, details, hint, message}` with its HTTP status. */
export class PostgrestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: string | null;
  readonly hint: string | null;
  /** Extra response headers (e.g. Retry-After, WWW-Authenticate). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    details: string | null = null,
    hint: string | null = null,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'PostgrestError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.hint = hint;
    this.headers = headers;
  }

  /** The JSON body to send. */
  toBody(): PostgrestErrorBody {
    return { code: this.code, details: this.details, hint: this.hint, message: this.message };
  }
}

/** True when `error` is a PostgrestError. */
export function isPostgrestError(error: unknown): error is PostgrestError {
  return error instanceof Error && error.name === 'PostgrestError';
}

/** PGRST100: the query string cannot be parsed (PostgREST's wording). */
export function parseError(what: string, details: string | null = null): PostgrestError {
  return new PostgrestError(400, 'PGRST100', `"failed to parse ${what}" (line 1, column 1)`, details);
}

/** 42703: a column the table does not have. */
export function unknownColumn(table: string, column: string): PostgrestError {
  return new PostgrestError(400, '42703', `column ${table}.${column} does not exist`);
}

/** PGRST204: a written column that is not in the schema cache. */
export function unknownWriteColumn(table: string, column: string): PostgrestError {
  return new PostgrestError(
    400,
    'PGRST204',
    `Could not find the '${column}' column of '${table}' in the schema cache`,
  );
}

/** PGRST102: the body is not valid JSON of the expected shape. */
export function invalidBody(details: string | null = null): PostgrestError {
  return new PostgrestError(400, 'PGRST102', 'Empty or invalid json', details);
}

/** 42501: a write that row-level security refuses (401 for anon, 403 otherwise, as PostgREST maps it). */
export function rlsViolation(table: string, anonymous: boolean): PostgrestError {
  return new PostgrestError(
    anonymous ? 401 : 403,
    '42501',
    `new row violates row-level security policy for table "${table}"`,
  );
}

/** PGRST003: no pooled connection within the acquire timeout. PostgREST answers 504; this target 503 (policy). */
export function poolTimeout(ms: number): PostgrestError {
  return new PostgrestError(
    503,
    'PGRST003',
    'Timed out acquiring connection from connection pool.',
    `no connection became free within ${ms} ms`,
  );
}

/** Seconds a client shed by admission control is asked to wait before retrying. */
export const SHED_RETRY_AFTER_S = 1;

/**
 * PGRST003 answered at once: `waiting` requests already queue for a connection, so this one is shed
 * (503, Retry-After) rather than queued to time out.
 */
export function poolSaturated(waiting: number): PostgrestError {
  return new PostgrestError(
    503,
    'PGRST003',
    'Timed out acquiring connection from connection pool.',
    `${waiting} requests already wait for a connection; retry later`,
    null,
    { 'retry-after': String(SHED_RETRY_AFTER_S) },
  );
}

/** PGRST000: the database cannot be reached. */
export function databaseUnavailable(reason: string): PostgrestError {
  return new PostgrestError(
    503,
    'PGRST000',
    'Could not connect with the database due to an incorrect db-uri or due to the PostgreSQL service not running.',
    reason,
  );
}

/** PGRST001: the connection broke during the request (terminated backend, reset socket). */
export function connectionLost(reason: string): PostgrestError {
  return new PostgrestError(503, 'PGRST001', 'Database client error. Retrying the connection.', reason);
}

/** HTTP status PostgREST uses for a PostgreSQL SQLSTATE (docs: references/errors, "HTTP Status Codes"). */
export function statusForSqlState(code: string, anonymous: boolean): number {
  if (code === '42501') return anonymous ? 401 : 403;
  const exact: Record<string, number> = {
    '23503': 409,
    '23505': 409,
    '25006': 405,
    '53400': 500,
    P0001: 400,
    '42883': 404,
    '42P01': 404,
    '42P17': 500,
  };
  if (exact[code] !== undefined) return exact[code]!;
  const prefix: Record<string, number> = {
    '08': 503,
    '09': 500,
    '0L': 403,
    '0P': 403,
    '25': 500,
    '28': 403,
    '2D': 500,
    '38': 500,
    '39': 500,
    '3B': 500,
    '40': 500,
    '53': 503,
    '54': 500,
    '55': 500,
    '57': 500,
    '58': 500,
    F0: 500,
    HV: 500,
    P0: 500,
    XX: 500,
  };
  return prefix[code.slice(0, 2)] ?? 400;
}

/** Turns a PostgreSQL error (node-pg's DatabaseError) into PostgREST's answer. */
export function fromPgError(error: unknown, anonymous: boolean): PostgrestError {
  if (isPostgrestError(error)) return error;
  const e = error as { code?: unknown; message?: string; detail?: string; hint?: string };
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    return new PostgrestError(
      statusForSqlState(e.code, anonymous),
      e.code,
      e.message ?? 'database error',
      e.detail ?? null,
      e.hint ?? null,
    );
  }
  return new PostgrestError(500, 'PGRST000', 'database error', e.message ?? String(error));
}
