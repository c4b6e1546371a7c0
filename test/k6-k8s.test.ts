import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEV_JWT_SECRET } from '../backend/jwt.ts';
import { needs } from './support/services.ts';

const ROOT = resolve(import.meta.dirname, '..');
const run = promisify(execFile);

describe('atlas-cap k8s', await needs('k6'), () => {
  it('writes a TestRun and a ConfigMap holding the scenario archive, secrets by reference only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-k8s-'));
    const csv = join(dir, 'users.csv');
    writeFileSync(
      csv,
      'id,tier,activity,conversations,last_activity,first_conversation_id\n' +
        '00000000-0000-4000-8000-000000000001,core,active,3,2026-01-01T00:00:00Z,10000000-0000-4000-8000-000000000001\n',
    );
    const out = join(dir, 'manifests');
    const { stdout } = await run(
      process.execPath,
      [
        join(ROOT, 'bin/atlas-cap.js'),
        'k8s',
        'delta-sync',
        '--parallelism',
        '4',
        '--users',
        '1000',
        '--target',
        'http://127.0.0.1:8080',
        '--users-csv',
        csv,
        '--out',
        out,
      ],
      { env: { ...process.env, SUPABASE_JWT_SECRET: DEV_JWT_SECRET } },
    );
    expect(stdout).toContain('testrun.yaml');
    const testRun = parse(readFileSync(join(out, 'testrun.yaml'), 'utf8'));
    expect(testRun).toMatchObject({
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      spec: { parallelism: 4 },
    });
    expect(testRun.spec.script.configMap.file).toBe('archive.tar');
    expect(testRun.spec.arguments).toContain('--out json=');
    const env = testRun.spec.runner.env as { name: string; valueFrom?: { secretKeyRef: unknown } }[];
    expect(env.map((e) => e.name).sort()).toEqual(['ANON_KEY', 'JWT_SECRET']);
    for (const e of env) expect(e.valueFrom?.secretKeyRef).toBeDefined();
    const configMap = parse(readFileSync(join(out, 'configmap.yaml'), 'utf8'));
    expect(configMap.metadata.name).toBe(testRun.spec.script.configMap.name);
    const archive = Buffer.from(configMap.binaryData['archive.tar'], 'base64').toString('latin1');
    expect(archive).toContain('scenarios/delta-sync.ts');
    expect(archive).toContain('00000000-0000-4000-8000-000000000001'); // the users export travels inside
    expect(archive).toContain('SYNC_RATE_ACTIVE');
    expect(archive).not.toContain(DEV_JWT_SECRET);
  });
});

describe('atlas-cap k8s: bad input (no k6 needed)', () => {
  it('refuses a non-loopback target unless --allow-remote names it', async () => {
    const failed = await run(process.execPath, [
      join(ROOT, 'bin/atlas-cap.js'),
      'k8s',
      'delta-sync',
      '--parallelism',
      '2',
      '--target',
      'https://staging.example.com',
      '--users-csv',
      '/nonexistent',
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(2);
    expect((failed as { stderr: string }).stderr).toMatch(/--allow-remote staging\.example\.com/);
  });
});
