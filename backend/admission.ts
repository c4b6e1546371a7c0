import type { FastifyInstance } from 'fastify';
import { SHED_RETRY_AFTER_S } from './rest/postgrest-error.ts';

/** Routes never shed: monitoring must see an overloaded target as it is. */
const NEVER_SHED = new Set(['/healthz', '/metrics']);

/**
 * Admission control for the whole server: at most `maxInFlight` requests are being served at once;
 * the next one is answered 503 with Retry-After at once, before any work. Under CPU overload (the
 * rig's knee: the host's cores saturate, docs/simulator.md) requests otherwise pile up inside the
 * process, each waiting longer and holding memory, until clients time out. The database pool sheds
 * its own excess as well (db-pool.ts); this bound covers what waits for the CPU and the upstream.
 */
export function registerAdmission(app: FastifyInstance, maxInFlight: number): void {
  let inFlight = 0;
  app.addHook('onRequest', async (request, reply) => {
    if (NEVER_SHED.has(request.url.split('?')[0]!)) return;
    if (inFlight >= maxInFlight) {
      return reply
        .status(503)
        .header('retry-after', String(SHED_RETRY_AFTER_S))
        .send({
          code: 'PGRST003',
          details: `${maxInFlight} requests already in progress; retry later`,
          hint: null,
          message: 'The server is overloaded.',
        });
    }
    inFlight++;
    reply.raw.once('close', () => inFlight--);
  });
}
