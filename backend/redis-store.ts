import { Redis } from 'ioredis';

/** The shared counter store: an ioredis client that reconnects forever and never queues commands. */
export interface RedisStore {
  client: Redis;
  /** True when Redis answers PING within `timeoutMs`. */
  healthy(timeoutMs?: number): Promise<boolean>;
  /** Waits until the first connection is ready, at most `timeoutMs`; true when it is. */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Longest pause between reconnection attempts: a returning Redis is picked up within 2 s. */
const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * Connects to `url`. `enableOfflineQueue: false` makes commands fail at once while Redis is away
 * (so the rate limiter's fail-open/closed policy applies instead of requests hanging), and the
 * retry strategy keeps reconnecting, so the target recovers without a restart.
 */
export function createRedisStore(url: string): RedisStore {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
  });
  client.on('error', () => {}); // connection errors are reported by healthz, not as crashes
  return {
    client,
    async healthy(timeoutMs = 1000) {
      if (client.status !== 'ready') return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        const pong = await Promise.race([
          client.ping(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
          }),
        ]);
        return pong === 'PONG';
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    ready(timeoutMs = 2000) {
      if (client.status === 'ready') return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          client.off('ready', onReady);
          resolve(ok);
        };
        const onReady = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        client.once('ready', onReady);
      });
    },
    async close() {
      client.disconnect();
    },
  };
}
