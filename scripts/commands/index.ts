import type { CommandModule } from 'yargs';
import { checkCommand } from './check.ts';
import { k6InstallCommand } from './k6-install.ts';
import { k8sCommand } from './k8s.ts';
import { mergeCommand } from './merge.ts';
import { reviewCommand } from './review.ts';
import { runCommand } from './run.ts';
import { seedCommand } from './seed.ts';
import { simulateCommand } from './simulate.ts';
import { targetCommand } from './target.ts';

/** Every atlas-cap command, in the order `--help` lists them. */
// biome-ignore lint/suspicious/noExplicitAny: yargs command modules differ in their argument types
export const commands: CommandModule<any, any>[] = [
  reviewCommand,
  seedCommand,
  targetCommand,
  runCommand,
  mergeCommand,
  k8sCommand,
  simulateCommand,
  checkCommand,
  k6InstallCommand,
];
