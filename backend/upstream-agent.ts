import http from 'node:http';
import https from 'node:https';
import type { Policy } from '../core/policy.ts';
import type { TargetMetrics } from './metrics.ts';

/** Node's default maxFreeSockets, used when the policy leaves it unset (null). */
const NODE_DEFAULT_MAX_FREE_SOCKETS = 256;
/** Largest reply body read from the upstream; a language-model reply is a few kilobytes. */
const MAX_REPLY_BYTES = 1 << 20;

/** A reply of the language model. */
export interface UpstreamReply {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

/** Why an upstream call failed: `timeout` (socket timeout of the policy) or `error` (status, reset). */
export class UpstreamError extends Error {
  readonly kind: 'timeout' | 'error';
  constructor(kind: 'timeout' | 'error', message: string) {
    super(message);
    this.name = 'UpstreamError';
    this.kind = kind;
  }
}

/** The language-model client: one keep-alive agent whose socket pool is the report's "connection pool". */
export interface UpstreamClient {
  call(prompt: string): Promise<UpstreamReply>;
  stats(): { size: number; inUse: number; queued: number };
  close(): void;
}

function count(map: NodeJS.ReadOnlyDict<unknown[]>): number {
  let n = 0;
  for (const list of Object.values(map)) n += list?.length ?? 0;
  return n;
}

/**
 * Creates the agent from `policy.upstream` (backend/server.mjs in the report: maxSockets 50 today;
 * the fix: maxSockets 200, maxFreeSockets 50, timeout 30000). Calls beyond maxSockets wait in the
 * agent's queue: that wait is what the report predicts will break at ~1k users.
 */
export function createUpstreamClient(
  upstreamUrl: string,
  policy: Policy,
  metrics: TargetMetrics,
): UpstreamClient {
  const url = new URL('/v1/messages', upstreamUrl);
  const { maxSockets, maxFreeSockets, socketTimeoutMs } = policy.upstream;
  const options: http.AgentOptions = {
    keepAlive: true,
    maxSockets,
    maxFreeSockets: maxFreeSockets ?? NODE_DEFAULT_MAX_FREE_SOCKETS,
  };
  if (socketTimeoutMs !== null) options.timeout = socketTimeoutMs;
  const secure = url.protocol === 'https:';
  const agent = secure ? new https.Agent(options) : new http.Agent(options);
  const request = secure ? https.request : http.request;

  return {
    call(prompt) {
      const started = performance.now();
      const body = JSON.stringify({
        model: 'atlas-stub',
        max_tokens: 256,
        messages: [{ role: 'user', content: prompt }],
      });
      return new Promise<UpstreamReply>((resolve, reject) => {
        const done = (status: string, error?: Error, reply?: UpstreamReply) => {
          metrics.upstreamCalls.inc({ status });
          metrics.upstreamDuration.observe({ status }, (performance.now() - started) / 1000);
          if (error) reject(error);
          else resolve(reply!);
        };
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > MAX_REPLY_BYTES) req.destroy(new UpstreamError('error', 'upstream reply too large'));
              else chunks.push(chunk);
            });
            res.on('end', () => {
              const status = String(res.statusCode ?? 0);
              if (res.statusCode !== 200)
                return done(status, new UpstreamError('error', `upstream answered ${status}`));
              try {
                const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
                  content?: { text?: string }[];
                  usage?: { input_tokens?: number; output_tokens?: number };
                };
                done(status, undefined, {
                  text: json.content?.map((c) => c.text ?? '').join('') ?? '',
                  inputTokens: json.usage?.input_tokens ?? 0,
                  outputTokens: json.usage?.output_tokens ?? 0,
                });
              } catch {
                done(status, new UpstreamError('error', 'upstream reply is not JSON'));
              }
            });
            res.on('error', (error) => done('error', new UpstreamError('error', error.message)));
          },
        );
        req.on('timeout', () =>
          req.destroy(new UpstreamError('timeout', `upstream socket idle for ${socketTimeoutMs} ms`)),
        );
        req.on('error', (error) => {
          if (error instanceof UpstreamError) done(error.kind, error);
          else done('error', new UpstreamError('error', error.message));
        });
        req.end(body);
      });
    },
    stats() {
      return { size: maxSockets, inUse: count(agent.sockets), queued: count(agent.requests) };
    },
    close() {
      agent.destroy();
    },
  };
}
