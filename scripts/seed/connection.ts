import pg from 'pg';

/** Memory for each index build: PostgreSQL's default (64 MB) spills big sorts to disk. */
export const MAINTENANCE_WORK_MEM = '256MB';

/** Opens a client for seeding: UTC and ISO dates (checksums hash row text), generous sort memory. */
export async function openClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'atlas-cap seed' });
  await client.connect();
  await client.query(
    `set timezone = 'UTC'; set datestyle = 'ISO, MDY'; set maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`,
  );
  return client;
}

/** Runs `tasks` on `clients`, each client taking the next task when it is free; first error wins. */
export async function runOnClients<T>(
  clients: pg.Client[],
  tasks: readonly T[],
  run: (client: pg.Client, task: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed: unknown;
  await Promise.all(
    clients.map(async (client) => {
      while (failed === undefined && next < tasks.length) {
        const task = tasks[next++]!;
        try {
          await run(client, task);
        } catch (error) {
          failed ??= error;
        }
      }
    }),
  );
  if (failed !== undefined) throw failed;
}
