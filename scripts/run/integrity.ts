import pg from 'pg';

/** Result of the post-run integrity check: acknowledged messages that are not in the database. */
export interface IntegrityResult {
  acknowledged: number;
  missing: number;
  /** Up to 20 missing ids, for a look in the database. */
  missingIds: string[];
}

/** Looks up every acknowledged message id in `messages` (batches of 5,000); nothing acknowledged may be lost. */
export async function checkAcknowledgedMessages(
  databaseUrl: string,
  ids: string[],
): Promise<IntegrityResult> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'atlas-cap integrity' });
  await client.connect();
  const missing: string[] = [];
  try {
    for (let i = 0; i < ids.length; i += 5000) {
      const batch = ids.slice(i, i + 5000);
      const { rows } = await client.query<{ id: string }>(
        `select x.id::text as id from unnest($1::uuid[]) as x(id)
          where not exists (select 1 from public.messages m where m.id = x.id)`,
        [batch],
      );
      for (const r of rows) missing.push(r.id);
    }
  } finally {
    await client.end();
  }
  return { acknowledged: ids.length, missing: missing.length, missingIds: missing.slice(0, 20) };
}
