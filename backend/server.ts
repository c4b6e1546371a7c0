import Fastify, { type FastifyInstance } from 'fastify';
import { redact } from '../core/redact.ts';
import { registerAdmission } from './admission.ts';
import { type HealthDeps, registerHealthz } from './healthz.ts';
import { type MessageDeps, registerMessageRoute } from './message-route.ts';
import type { TargetMetrics } from './metrics.ts';
import { fromPgError, isPostgrestError, PostgrestError } from './rest/postgrest-error.ts';
import { type RestDeps, registerRestRoutes } from './rest/rest-route.ts';

/** Everything the HTTP server is built from. */
export interface ServerDeps {
  metrics: TargetMetrics;
  rest: RestDeps;
  message: MessageDeps;
  health: HealthDeps;
  /** Requests served at once before new ones get 503 (admission.ts); unbounded when absent. */
  maxInFlight?: number;
}

/** Request bodies above 1 MiB get 413 (PostgREST sits behind a gateway with a similar cap). */
const BODY_LIMIT_BYTES = 1 << 20;

function toPostgrestError(error: unknown): PostgrestError {
  if (isPostgrestError(error)) return error;
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return fromPgError(error, false);
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new PostgrestError(e.statusCode, e.code ?? 'bad_request', e.message ?? 'Bad request');
  }
  return new PostgrestError(500, 'internal_error', 'Internal server error');
}

/** Builds the Fastify app: routes, metrics hooks, and errors answered in PostgREST's JSON shape. */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, return503OnClosing: true });
  // Bodies arrive as text whatever their type, so malformed JSON becomes a PostgREST-style 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  if (deps.maxInFlight !== undefined) registerAdmission(app, deps.maxInFlight);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { route, status: String(reply.statusCode) };
    deps.metrics.httpRequests.inc(labels);
    deps.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
  app.setErrorHandler(async (error, _request, reply) => {
    const e = toPostgrestError(error);
    if (e.status >= 500 && !isPostgrestError(error))
      console.error(`atlas-target: ${redact(String((error as Error).message))}`);
    return reply.status(e.status).headers(e.headers).send(e.toBody());
  });
  app.setNotFoundHandler(async (request, reply) =>
    reply.status(404).send({
      code: 'not_found',
      details: null,
      hint: null,
      message: `No route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );

  registerRestRoutes(app, deps.rest);
  registerMessageRoute(app, deps.message);
  registerHealthz(app, deps.health);
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return reply.send(await deps.metrics.registry.metrics());
  });
  return app;
}
