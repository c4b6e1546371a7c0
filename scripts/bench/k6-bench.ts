// npm run bench:k6 — how much of k6's request rate the delta-sync scenario costs: its achievable
// request rate against a trivial endpoint vs a bare k6 `http.get` loop against the same endpoint, same
// run, same machine, same VU count. Goal (issue 4): the scenario reaches at least 90% of the bare rate.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEV_JWT_SECRET } from '../../target/jwt.ts';
import { resolveK6 } from '../k6/binary.ts';
import { scenarioFile } from '../run/plan.ts';
import { writeUsersWithTokens } from '../run/tokens.ts';

const run = promisify(execFile);
/** Seconds per measurement; each side is measured twice, alternating, and its best run kept. */
const SECONDS = 10;
/** VUs on both sides: enough to keep a 2-core machine's k6 busy without starving the endpoint. */
const VUS = 40;

const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = req.method === 'GET' ? '[]' : '';
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;

const BARE = `
import http from 'k6/http';
export const options = { scenarios: { bare: { executor: 'constant-vus', vus: ${VUS}, duration: '${SECONDS}s' } } };
export default function () { http.get(__ENV.BASE_URL + '/rest/v1/conversations'); }
`;

async function requestRate(
  k6: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  summary: string,
): Promise<number> {
  await run(
    k6,
    ['run', '--quiet', '--no-usage-report', '--address', '', '--summary-export', summary, ...args],
    {
      env,
      maxBuffer: 64 << 20,
    },
  );
  const metrics = (
    JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { rate?: number }> }
  ).metrics;
  return metrics.http_reqs?.rate ?? 0;
}

/** The bench's output: both rates and their ratio (a function: measurement and printing apart). */
export function formatBench(bare: number, scenario: number): string {
  const ratio = scenario / bare;
  return [
    `bare k6 http.get loop:     ${bare.toFixed(0)} requests/s (${VUS} VUs, ${SECONDS} s)`,
    `delta-sync scenario:       ${scenario.toFixed(0)} requests/s (${VUS} VUs, ${SECONDS} s)`,
    `ratio scenario / bare:     ${ratio.toFixed(3)} (overhead ${((1 - ratio) * 100).toFixed(1)}%; goal: overhead <= 10%)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const k6 = resolveK6();
  const dir = mkdtempSync(join(tmpdir(), 'atlas-k6-bench-'));
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const cleanup: (() => void)[] = [];
  try {
    const port = await new Promise<string>((resolve) =>
      server.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())),
    );
    const base = `http://127.0.0.1:${port}`;
    const bare = join(dir, 'bare.js');
    writeFileSync(bare, BARE);
    const csv = join(dir, 'users.csv');
    const lines = ['id,tier,activity,conversations,last_activity,first_conversation_id'];
    for (let i = 0; i < 1000; i++) {
      const hex = i.toString(16).padStart(12, '0');
      lines.push(
        `00000000-0000-4000-8000-${hex},core,active,50,2026-01-01T00:00:00Z,10000000-0000-4000-8000-${hex}`,
      );
    }
    writeFileSync(csv, lines.join('\n') + '\n');
    // As the runner does: tokens signed once in Node, none in k6.
    const tokens = await writeUsersWithTokens(csv, DEV_JWT_SECRET, 3600);
    cleanup.push(tokens.remove);
    const env = { ...process.env, ANON_KEY: 'bench-anon-key' };
    // An arrival rate far above what 40 VUs can do: the scenario runs flat out, like the bare loop.
    const scenarioArgs = [
      ...[
        'BASE_URL=' + base,
        `USERS_CSV=${csv}`,
        `DURATION_S=${SECONDS}`,
        `MAX_VUS=${VUS}`,
        'SYNC_RATE_ACTIVE=100000',
      ]
        .concat(['SYNC_RATE_RECENT=0', 'SYNC_RATE_INACTIVE=0', 'SYNC_ITER_S=1', 'PUSH_SHARE=0'])
        .flatMap((kv) => ['-e', kv]),
      scenarioFile('delta-sync'),
    ];
    let bestBare = 0;
    let bestScenario = 0;
    for (let round = 0; round < 2; round++) {
      bestBare = Math.max(
        bestBare,
        await requestRate(k6, ['-e', `BASE_URL=${base}`, bare], env, join(dir, 'b.json')),
      );
      // k6 may exit 99: the scenario's thresholds (p95 budgets) are not what this bench is about.
      const rate = await requestRate(k6, scenarioArgs, env, join(dir, 's.json')).catch(
        (error: { code?: number }) => {
          if (error.code !== 99) throw error;
          const m = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as {
            metrics: Record<string, { rate?: number }>;
          };
          return m.metrics.http_reqs?.rate ?? 0;
        },
      );
      bestScenario = Math.max(bestScenario, rate);
    }
    process.stdout.write(`${formatBench(bestBare, bestScenario)}\n`);
  } finally {
    for (const f of cleanup) f();
    server.kill();
  }
}

await main();
