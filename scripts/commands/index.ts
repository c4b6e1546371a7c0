import type { CommandModule } from 'yargs';

// biome-ignore lint/suspicious/noExplicitAny: yargs command modules differ in their argument types
type AnyCommand = CommandModule<any, any>;

/**
 * Every atlas-cap command, in the order `--help` lists them, as a loader: a command's module pulls in
 * its whole stack (fastify, vega, the seeder, ...), so the CLI loads only the one it runs, which keeps
 * start-up fast and the seeder's memory low.
 */
export const COMMAND_LOADERS: Record<string, () => Promise<AnyCommand>> = {
  review: async () => (await import('./review-command.ts')).reviewCommand,
  seed: async () => (await import('./seed.ts')).seedCommand,
  target: async () => (await import('./target.ts')).targetCommand,
  run: async () => (await import('./run.ts')).runCommand,
  merge: async () => (await import('./merge.ts')).mergeCommand,
  k8s: async () => (await import('./k8s.ts')).k8sCommand,
  simulate: async () => (await import('./simulate.ts')).simulateCommand,
  validate: async () => (await import('./validate.ts')).validateCommand,
  check: async () => (await import('./check.ts')).checkCommand,
  'k6-install': async () => (await import('./k6-install.ts')).k6InstallCommand,
};

/** The command modules needed for `argv`: the named command only, or all of them (help, typos). */
export async function loadCommands(argv: readonly string[]): Promise<AnyCommand[]> {
  const first = argv.find((arg) => !arg.startsWith('-'));
  const loaders =
    first !== undefined && first in COMMAND_LOADERS
      ? [COMMAND_LOADERS[first]!]
      : Object.values(COMMAND_LOADERS);
  return Promise.all(loaders.map((load) => load()));
}
