import { createConnection, createServer, type Server, type Socket } from 'node:net';

// A loopback TCP proxy the runner puts between the target and Redis, so the redis-down fault can make
// Redis unreachable for the target alone, without touching the Redis other processes share.

/** A running proxy. */
export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones until `restore()`. */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) forwarding to `host:port`. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const make = (): Server =>
    createServer((client) => {
      const upstream = createConnection({ host, port });
      sockets.add(client);
      sockets.add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
  let server = make();
  const listen = (p: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const proxyPort = await listen(0);
  let up = true;
  const proxy: TcpProxy = {
    port: proxyPort,
    async cut() {
      if (!up) return;
      up = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
    },
    async restore() {
      if (up) return;
      server = make();
      await listen(proxyPort);
      up = true;
    },
    async close() {
      await proxy.cut();
    },
  };
  return proxy;
}
