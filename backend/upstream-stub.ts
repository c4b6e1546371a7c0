import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../core/seeded-random.ts';
import { logNormalFromMedianP95 } from '../simulator/index.ts';

/** Options of the language-model stand-in. */
export interface UpstreamStubOptions {
  /** Response time, log-normal: median and 95th percentile in ms. */
  latencyMs: { median: number; p95: number };
  /** PRNG seed of the latency draws (same seed, same sequence). */
  seed?: number;
  port?: number;
  host?: string;
}

/** A running stub. */
export interface RunningUpstreamStub {
  url: string;
  close(): Promise<void>;
}

/** Largest request body the stub reads. */
const MAX_BODY_BYTES = 1 << 20;

/** Draws log-normal delays with the given median and p95: the distribution the simulator assumes. */
export function logNormalSampler(median: number, p95: number, random: () => number): () => number {
  const { mu, sigma } = logNormalFromMedianP95(median, p95);
  return () => {
    // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
    const u = 1 - random();
    const v = random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.exp(mu + sigma * z);
  };
}

/**
 * Starts the language-model stand-in: POST /v1/messages answers, after a log-normal delay, a short
 * reply in the shape of Anthropic's Messages API. Anything else is 404.
 */
export async function startUpstreamStub(options: UpstreamStubOptions): Promise<RunningUpstreamStub> {
  const { median, p95 } = options.latencyMs;
  if (!(median > 0) || !(p95 >= median)) throw new Error('latencyMs needs median > 0 and p95 >= median');
  const delay = logNormalSampler(median, p95, seededRandom(options.seed ?? 1));
  let served = 0;
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/messages') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
    });
    req.on('end', () => {
      const id = ++served;
      const timer = setTimeout(() => {
        const text = `Stub reply ${id}: noted.`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `msg_stub_${id}`,
            type: 'message',
            role: 'assistant',
            model: 'atlas-stub',
            content: [{ type: 'text', text }],
            stop_reason: 'end_turn',
            usage: { input_tokens: Math.ceil(size / 4), output_tokens: Math.ceil(text.length / 4) },
          }),
        );
      }, delay());
      res.on('close', () => clearTimeout(timer));
    });
  });
  // Keep client keep-alive sockets open longer than the target's idle use of them.
  server.keepAliveTimeout = 65_000;
  server.maxConnections = 100_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
