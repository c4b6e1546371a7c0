import exec from 'k6/execution';
import http, { type Params, type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import { BASE_URL, envString, REQUEST_TIMEOUT_S } from './env.ts';
import { userToken } from './jwt.ts';

// Calls in the Supabase REST dialect (`apikey` header + `Authorization: Bearer <user JWT>`), each tagged
// with a `name` per endpoint so summaries, thresholds and the run record group by endpoint.

/** Anon key sent as `apikey` (Supabase's public key; the local target's when run by the harness). */
export const ANON_KEY = envString('ANON_KEY', '');

/** JWT secret the VUs sign user tokens with; read from the environment only, never logged. */
const JWT_SECRET = envString('JWT_SECRET', '');

/** Endpoint names: the same strings as simulator/workload.ts ENDPOINTS and the run record. */
export const NAMES = {
  conversations: 'rest.conversations',
  messages: 'rest.messages',
  push: 'rest.push',
  message: 'api.message',
  health: 'healthz',
  profiles: 'rest.profiles',
} as const;

/** Failed requests by kind (status class, 429, network, timeout): what a fault run reports. */
export const errorsByKind = new Counter('atlas_errors');

/** One message acknowledged with a 2xx; its id travels in the sample's metadata for the integrity check. */
export const ackedMessages = new Counter('atlas_acked_messages');

type Res = RefinedResponse<ResponseType | undefined>;

function errorKind(res: Res): string | undefined {
  if (res.status >= 200 && res.status < 400) return undefined;
  if (res.status === 0) return res.error_code === 1050 ? 'timeout' : 'network';
  if (res.status === 429) return '429';
  return `${Math.floor(res.status / 100)}xx`;
}

/** Counts a failed response under its kind; returns the response. */
export function track(res: Res, name: string): Res {
  const kind = errorKind(res);
  if (kind) errorsByKind.add(1, { name, kind });
  return res;
}

/** Records message ids acknowledged by a 2xx response (metadata, so they do not become tag series). */
export function acknowledge(ids: string[], name: string): void {
  if (ids.length === 0) return; // touching exec.vu costs microseconds per call: not for nothing
  for (const id of ids) {
    exec.vu.metrics.metadata['message_id'] = id;
    ackedMessages.add(1, { name });
  }
  delete exec.vu.metrics.metadata['message_id'];
}

/** Who a request is made as: a user id, with the token the runner signed for it when there is one. */
export interface Principal {
  id: string;
  token?: string;
}

/** Headers of a request made as `user` (anon when none): the pre-signed token, else one signed here. */
export function authHeaders(
  user: Principal | undefined,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const headers: Record<string, string> = { apikey: ANON_KEY, ...extra };
  headers['Authorization'] = `Bearer ${user ? (user.token ?? userToken(user.id, JWT_SECRET)) : ANON_KEY}`;
  return headers;
}

/** Extra tags every request of this iteration carries (e.g. the user's class in rate-limit). */
export type Tags = Record<string, string>;

/** No extra tags (the default): its requests carry only their `name` tag, with no object spread. */
export const NO_TAGS: Tags = Object.freeze({}) as Tags;

/** What a request does with its response body: 'text' when it is read, 'none' when only the status is. */
export type BodyUse = 'text' | 'none';

const TIMEOUT = `${REQUEST_TIMEOUT_S}s`;

/** The Supabase dialect's headers per method, as an object literal (no spread of an `extra` object). */
function dialectHeaders(method: 'get' | 'post' | 'patch', auth: string): Record<string, string> {
  if (method === 'get') return { apikey: ANON_KEY, Authorization: auth, Accept: 'application/json' };
  return {
    apikey: ANON_KEY,
    Authorization: auth,
    'Content-Type': 'application/json',
    Prefer: method === 'post' ? 'return=minimal' : 'return=minimal, count=exact',
  };
}

/**
 * This VU's params object per (method, endpoint, body use), reused by every such request: k6 reads
 * params while the call runs (requests are synchronous), so only the Authorization header changes
 * between uses. A handful of objects per VU, where building three objects per request was ~10% of k6's
 * CPU in the delta-sync iteration (a per-user cache, by contrast, grew every VU's heap: worse).
 */
const reusedParams: Record<string, { headers: Record<string, string> } & Params> = {};

/** Params of a request as `user` to endpoint `name` (extra tags get a fresh object). */
function requestParams(
  method: 'get' | 'post' | 'patch',
  user: Principal,
  name: string,
  tags: Tags,
  body: BodyUse,
): Params {
  const auth = `Bearer ${user.token ?? userToken(user.id, JWT_SECRET)}`;
  if (tags !== NO_TAGS)
    return {
      headers: dialectHeaders(method, auth),
      tags: { name, ...tags },
      timeout: TIMEOUT,
      responseType: body,
    };
  const key = method + name + body;
  let params = reusedParams[key];
  if (params === undefined) {
    params = { headers: dialectHeaders(method, auth), tags: { name }, timeout: TIMEOUT, responseType: body };
    reusedParams[key] = params;
  } else params.headers['Authorization'] = auth;
  return params;
}

/** GET `/rest/v1/<path>` as `user`, tagged `name`; `body: 'none'` when the rows are not read. */
export function restGet(
  path: string,
  user: Principal,
  name: string,
  tags: Tags = NO_TAGS,
  body: BodyUse = 'text',
): Res {
  return track(http.get(`${BASE_URL}/rest/v1/${path}`, requestParams('get', user, name, tags, body)), name);
}

/** POST a JSON body (rows, or their serialized text) to `/rest/v1/<table>` (return=minimal), tagged `name`. */
export function restInsert(
  table: string,
  rows: unknown,
  user: Principal,
  name: string,
  tags: Tags = NO_TAGS,
): Res {
  const body = typeof rows === 'string' ? rows : JSON.stringify(rows);
  return track(
    http.post(`${BASE_URL}/rest/v1/${table}`, body, requestParams('post', user, name, tags, 'none')),
    name,
  );
}

/** PATCH `/rest/v1/<path>` with a JSON body, tagged `name`; Content-Range says how many rows changed. */
export function restPatch(
  path: string,
  body: unknown,
  user: Principal,
  name: string,
  tags: Tags = NO_TAGS,
): Res {
  return track(
    http.patch(
      `${BASE_URL}/rest/v1/${path}`,
      JSON.stringify(body),
      requestParams('patch', user, name, tags, 'none'),
    ),
    name,
  );
}

/** Parses a JSON array body, or [] when the response is not a JSON array (errors are tracked apart). */
export function jsonRows<T>(res: Res): T[] {
  if (res.status < 200 || res.status >= 300 || typeof res.body !== 'string') return [];
  if (res.body === '[]') return []; // the usual delta answer (nothing changed): no JSON.parse
  try {
    const value = JSON.parse(res.body) as unknown;
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/** GET /healthz, tagged `healthz`. */
export function health(): Res {
  const res = http.get(`${BASE_URL}/healthz`, {
    tags: { name: NAMES.health },
    timeout: `${REQUEST_TIMEOUT_S}s`,
  });
  return track(res, NAMES.health);
}
