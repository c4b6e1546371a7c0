import type { CommandModule } from 'yargs';
import { UsageError } from '../../core/usage-error.ts';

/** `atlas-cap k8s`: Write the k6-operator TestRun and ConfigMap for a scenario. */
export const k8sCommand: CommandModule = {
  command: 'k8s',
  describe: 'Write the k6-operator TestRun and ConfigMap for a scenario',
  handler: () => {
    throw new UsageError('k8s', 'is not built yet');
  },
};
