import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { loadPolicy } from '../../core/policy.ts';
import { loadProfile } from '../../core/profile.ts';
import { maskUrl } from '../../core/redact.ts';
import { UsageError } from '../../core/usage-error.ts';
import { resolveK6 } from '../k6/binary.ts';
import { bundleScenario } from '../k6/bundle.ts';
import { SECRET_NAME, writeK8sManifests } from '../k6/k8s.ts';
import { parseScenario, planScenario, scenarioFile } from '../run/plan.ts';
import { readSeedInfo } from '../seed/index.ts';
import { K8S_FLAGS, parseFlags } from './flags/index.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Flags of `atlas-cap k8s`. */
interface K8sArgs {
  scenario: string;
  parallelism: string;
  users?: string;
  policy: string;
  profile: string;
  duration: string;
  target: string;
  allowRemote?: string;
  usersCsv?: string;
  databaseUrl?: string;
  namespace?: string;
  out?: string;
}

/** `atlas-cap k8s`: Write the k6-operator TestRun and ConfigMap for a scenario. */
export const k8sCommand: CommandModule<object, K8sArgs> = {
  command: 'k8s <scenario>',
  describe: 'Write the k6-operator TestRun and ConfigMap for a scenario',
  builder: (yargs: Argv) =>
    yargs
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario name' })
      .option('parallelism', {
        type: 'string',
        demandOption: true,
        describe: 'runner pods (execution segments)',
      })
      .option('users', { type: 'string', describe: 'registered users (default: the profile)' })
      .option('policy', { type: 'string', default: 'fixed', describe: 'policy name or YAML file' })
      .option('profile', { type: 'string', default: 'ci-smoke', describe: 'profile name or YAML file' })
      .option('duration', { type: 'string', default: '60s', describe: 'length of the load' })
      .option('target', { type: 'string', demandOption: true, describe: 'base URL the pods load' })
      .option('allow-remote', { type: 'string', describe: 'the target host, when not loopback' })
      .option('users-csv', { type: 'string', describe: 'users export (else the seed of --database-url)' })
      .option('database-url', { type: 'string', describe: 'seeded database whose users export to bundle' })
      .option('namespace', { type: 'string', describe: 'Kubernetes namespace' })
      .option('out', {
        type: 'string',
        describe: 'folder for configmap.yaml and testrun.yaml',
      }) as unknown as Argv<K8sArgs>,
  handler: async (args) => {
    const flags = parseFlags(K8S_FLAGS, args);
    const scenario = parseScenario(flags.scenario);
    const profile = loadProfile(flags.profile);
    const policy = loadPolicy(flags.policy);
    const users = flags.users ?? profile.users;
    const durationSeconds = flags.duration;
    let csv = flags.usersCsv ? resolve(flags.usersCsv) : undefined;
    if (!csv && flags.databaseUrl) {
      csv = (await readSeedInfo(flags.databaseUrl))?.exportPath;
      if (!csv)
        throw new UsageError('--database-url', `${maskUrl(flags.databaseUrl)} holds no finished seed`);
    }
    if (!csv)
      throw new UsageError(
        '--users-csv',
        'name the users export (or pass --database-url of a seeded database)',
      );
    if (!existsSync(csv)) throw new UsageError('--users-csv', `no file ${csv}`);
    const plan = planScenario(scenario, profile, policy, users, durationSeconds);
    const name = `atlas-${scenario}-${users}u-${policy.name}`
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 52);
    const outDir = resolve(flags.out ?? join(ROOT, 'reports', 'out', 'k8s', name));
    // The runners get the bundle `atlas-cap run` runs (scripts/k6/bundle.ts), archived with its environment.
    const bundleDir = mkdtempSync(join(tmpdir(), 'atlas-k8s-'));
    const result = await writeK8sManifests({
      k6: resolveK6(),
      file: await bundleScenario(scenarioFile(scenario), bundleDir),
      name,
      parallelism: flags.parallelism,
      env: { ...plan.env, BASE_URL: flags.target.replace(/\/+$/, ''), USERS_CSV: csv },
      outDir,
      namespace: flags.namespace,
    }).finally(() => rmSync(bundleDir, { recursive: true, force: true }));
    const lines = [
      `wrote ${result.configMap} (k6 archive, ${(result.archiveBytes / 1024).toFixed(0)} KiB) and ${result.testRun}`,
      `before applying: kubectl create secret generic ${SECRET_NAME} --from-literal=jwt-secret=... --from-literal=anon-key=...`,
      "after the run: copy each runner pod's /tmp/k6-raw.json.gz and run `atlas-cap merge FILES... --out DIR`",
      ...result.warnings.map((w) => `warning: ${w}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
