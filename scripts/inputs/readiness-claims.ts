import { fixturePath, loadYamlConfig } from '../../core/load-yaml-config.ts';
import type { Claim } from '../../simulator/index.ts';
import { ReadinessSchema } from '../../simulator/index.ts';

// The seed documents' claims, read once at the edge: fixtures/targets/readiness.yaml. It is also the
// one source of the documents' cost figures (seedCostEstimates derives them from its claims).

/** Loads and validates fixtures/targets/readiness.yaml; an error names the file. */
export function loadReadinessClaims(): Claim[] {
  return loadYamlConfig('targets', 'readiness', ReadinessSchema, fixturePath('targets', 'readiness')).claims;
}
