import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { envArgs } from './run-k6.ts';

const execFileAsync = promisify(execFile);

// k6-operator manifests for the same scenario the runner runs: a ConfigMap holding a `k6 archive` of
// the scenario (its lib/ imports and the users CSV it opens are bundled in), and a TestRun that runs it
// on N pods, each with its own execution segment (the operator assigns them) and raw JSON output.

/** Kubernetes Secret the runners read JWT_SECRET and ANON_KEY from (never the ConfigMap or the TestRun). */
export const SECRET_NAME = 'atlas-k6-secrets';
/** Where each runner pod writes its raw output; collect them and run `atlas-cap merge`. */
export const RUNNER_RAW_OUT = '/tmp/k6-raw.json.gz';
/** Largest ConfigMap the API server accepts (etcd object limit, 1 MiB). */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;

/** Options of {@link writeK8sManifests}. */
export interface K8sOptions {
  k6: string;
  /** Scenario file. */
  file: string;
  /** Resource names: `<name>` for the TestRun, `<name>-script` for the ConfigMap. */
  name: string;
  parallelism: number;
  /** Non-secret k6 environment (rates, durations, BASE_URL, USERS_CSV). */
  env: Record<string, string>;
  outDir: string;
  namespace?: string;
}

/** What was written. */
export interface K8sResult {
  configMap: string;
  testRun: string;
  archiveBytes: number;
  warnings: string[];
}

/** The TestRun resource (k6.io/v1alpha1) for a ConfigMap-held archive. */
export function testRunManifest(
  name: string,
  parallelism: number,
  namespace?: string,
): Record<string, unknown> {
  const secret = (key: string) => ({ secretKeyRef: { name: SECRET_NAME, key } });
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      parallelism,
      script: { configMap: { name: `${name}-script`, file: 'archive.tar' } },
      // Segments are the operator's: each pod gets --execution-segment i/N:(i+1)/N of one sequence.
      arguments: `--no-usage-report --summary-mode=disabled --out json=${RUNNER_RAW_OUT}`,
      runner: {
        env: [
          { name: 'JWT_SECRET', valueFrom: secret('jwt-secret') },
          { name: 'ANON_KEY', valueFrom: secret('anon-key') },
        ],
      },
    },
  };
}

/** Archives the scenario with its environment (`k6 archive`) and writes configmap.yaml and testrun.yaml. */
export async function writeK8sManifests(options: K8sOptions): Promise<K8sResult> {
  mkdirSync(options.outDir, { recursive: true });
  const archive = join(options.outDir, `${options.name}.tar`);
  // Only the variables given with -e enter the archive; the secrets stay out of the process env too.
  const env = { ...process.env };
  delete env.JWT_SECRET;
  delete env.ANON_KEY;
  delete env.SUPABASE_JWT_SECRET;
  await execFileAsync(options.k6, ['archive', ...envArgs(options.env), '-O', archive, options.file], {
    env,
    maxBuffer: 16 << 20,
  });
  const bytes = statSync(archive).size;
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${options.name}-script`,
      ...(options.namespace ? { namespace: options.namespace } : {}),
    },
    binaryData: { 'archive.tar': readFileSync(archive).toString('base64') },
  };
  rmSync(archive);
  const warnings: string[] = [];
  if (bytes > CONFIGMAP_LIMIT_BYTES * 0.75) {
    warnings.push(
      `the archive is ${(bytes / 1048576).toFixed(1)} MiB (users CSV included); ConfigMaps hold at most 1 MiB: mount it from a volume instead`,
    );
  }
  const configMapFile = join(options.outDir, 'configmap.yaml');
  const testRunFile = join(options.outDir, 'testrun.yaml');
  writeFileSync(configMapFile, stringify(configMap, { lineWidth: 0 }));
  writeFileSync(
    testRunFile,
    stringify(testRunManifest(options.name, options.parallelism, options.namespace)),
  );
  return { configMap: configMapFile, testRun: testRunFile, archiveBytes: bytes, warnings };
}
