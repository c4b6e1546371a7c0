// Helpers of the target's integration tests: the Atlas schema and a tiny hand-made dataset, for
// tests that do not need the seeder (the conformance test uses the seeder's ci-smoke data).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { FIXTURES_DIR } from '../core/load-yaml-config.ts';
import type { Tier } from '../core/profile.ts';

/** Applies fixtures/schema: auth stub, tables, API-role grants, keys and indexes. */
export async function applyAtlasSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const file of ['auth.sql', 'plain.sql', 'grants.sql', 'plain.indexes.sql']) {
      await client.query(readFileSync(`${FIXTURES_DIR}/schema/${file}`, 'utf8'));
    }
  } finally {
    await client.end();
  }
}

/** One hand-made user with conversations. */
export interface TinyUser {
  id: string;
  tier: Tier;
  conversations: string[];
}

/** Inserts users (tiers as given), each with `conversations` conversations of `messages` messages. */
export async function insertTinyDataset(
  url: string,
  tiers: Tier[],
  conversations = 3,
  messages = 4,
): Promise<TinyUser[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const users: TinyUser[] = [];
  try {
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (const [u, tier] of tiers.entries()) {
      const id = randomUUID();
      await client.query(`insert into profiles values ($1, $2, $3, 'active', '{}', now(), now())`, [
        id,
        `user${u}-${id.slice(0, 8)}@example.test`,
        tier,
      ]);
      const user: TinyUser = { id, tier, conversations: [] };
      for (let c = 0; c < conversations; c++) {
        const cid = randomUUID();
        const updated = new Date(base + (u * 100 + c) * 60_000 + messages * 1000);
        await client.query(`insert into conversations values ($1, $2, $3, $4, $5)`, [
          cid,
          id,
          `Conversation ${c}`,
          new Date(base + (u * 100 + c) * 60_000),
          updated,
        ]);
        for (let m = 0; m < messages; m++) {
          await client.query(`insert into messages values ($1, $2, $3, $4, $5)`, [
            randomUUID(),
            cid,
            m % 2 === 0 ? 'user' : 'assistant',
            `message ${m} of ${c}`,
            new Date(base + (u * 100 + c) * 60_000 + (m + 1) * 1000),
          ]);
        }
        user.conversations.push(cid);
      }
      users.push(user);
    }
  } finally {
    await client.end();
  }
  return users;
}
