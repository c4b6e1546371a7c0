import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IN_CI } from './services.ts';

/** A network namespace joined to the host by a veth pair: a non-loopback address this test owns. */
export interface NetworkNamespace {
  name: string;
  /** The host side of the veth pair (10.200.x.y/30). */
  hostAddress: string;
  /** The namespace side: where a deployment inside it listens. */
  address: string;
  /** `ip netns exec <name> command ...args` as argv, to spawn a process inside the namespace. */
  exec(command: string, args: readonly string[]): [string, string[]];
  /** Deletes the namespace (its veth pair goes with it). */
  remove(): void;
}

function ip(args: readonly string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Creates a namespace `atlas-<hex>` with a veth pair on a random 10.200.x.y/30 (two tests in parallel
 * pick different ones). Returns the reason instead when the machine does not allow it (not root, no
 * `ip`): under CI=true that throws, as a missing service does (test/support/services.ts).
 */
export function createNetworkNamespace(): NetworkNamespace | { skipped: string } {
  const id = randomBytes(3).toString('hex');
  const name = `atlas-${id}`;
  const x = randomInt(0, 256);
  const y = randomInt(0, 64) * 4;
  const hostAddress = `10.200.${x}.${y + 1}`;
  const address = `10.200.${x}.${y + 2}`;
  const hostIf = `av${id}h`;
  const nsIf = `av${id}n`;
  const remove = (): void => {
    try {
      ip(['netns', 'del', name]);
    } catch {}
    try {
      ip(['link', 'del', hostIf]);
    } catch {}
  };
  try {
    ip(['netns', 'add', name]);
    ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', name]);
    ip(['addr', 'add', `${hostAddress}/30`, 'dev', hostIf]);
    ip(['link', 'set', hostIf, 'up']);
    ip(['-n', name, 'addr', 'add', `${address}/30`, 'dev', nsIf]);
    ip(['-n', name, 'link', 'set', nsIf, 'up']);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    remove();
    const e = error as { stderr?: Buffer; message: string };
    const why = (e.stderr?.toString().trim() || e.message).split('\n')[0];
    if (IN_CI)
      throw new Error(`a network namespace is required under CI=true but could not be created: ${why}`);
    return { skipped: `cannot create a network namespace here (${why})` };
  }
  return {
    name,
    hostAddress,
    address,
    exec: (command, args) => ['ip', ['netns', 'exec', name, command, ...args]],
    remove,
  };
}

/** A Unix-socket forwarder to a TCP server. */
export interface SocketForwarder {
  /** Directory holding `.s.PGSQL.<port>`: a libpq `host=` for a process in any network namespace. */
  dir: string;
  close(): Promise<void>;
}

/**
 * Listens on `<tmp>/.s.PGSQL.<socketPort>` and forwards each connection to `host:port`. Unix sockets are
 * files, shared by every network namespace, so a deployment in its namespace reaches the host's
 * PostgreSQL this way without the server listening anywhere new (its configuration is left alone).
 */
export async function forwardUnixSocket(
  host: string,
  port: number,
  socketPort = 5432,
): Promise<SocketForwarder> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-pgsock-'));
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host, port });
    sockets.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(join(dir, `.s.PGSQL.${socketPort}`), resolve);
  });
  return {
    dir,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
