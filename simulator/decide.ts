import type { Policy } from '../core/policy.ts';
import { judge } from './decision-rule.ts';
import type { Knee } from './knee.ts';
import { findKnee } from './knee.ts';
import { abuseOf, stressLabel } from './load.ts';
import type { Prediction, ResourceName } from './prediction.ts';
import type { SimulateInput } from './simulate.ts';
import { modelFor, predictPoint } from './simulate.ts';

/** Inputs of one decision: the simulation's inputs, one policy and one number of registered users. */
export interface DecisionInputs extends Omit<SimulateInput, 'policies' | 'users'> {
  policy: Policy;
  users: number;
  /** Add the stress case (abusive free users, from the assumptions' abuseShare and abuseRatePerMinute). */
  stress?: boolean;
  /** Search the knee too (default true; sensitivity sweeps that need only the verdict pass false). */
  knee?: boolean;
}

/** GO or NO-GO. */
export type Verdict = 'GO' | 'NO-GO';

/** The decision at one point, by the one rule (decision-rule.ts). */
export interface DecisionResult {
  policy: string;
  users: number;
  verdict: Verdict;
  /** Why NO-GO, one sentence per failed criterion (empty for GO). */
  reasons: string[];
  /** The resource that binds (fails, or fails first as load grows). */
  bindingResource: ResourceName | null;
  /** The largest N the rule accepts under this policy (null when not searched). */
  knee: Knee | null;
  /** Monthly cost of the policy's configuration, and the cheapest accepted one (null when none is). */
  monthlyUsd: number | null;
  cheapestUsd: number | null;
  /** The stress row's label when `stress` (e.g. "with 5% of free users sending 200/min"), else null. */
  stress: string | null;
  prediction: Prediction;
}

/**
 * The single decision function: applies the assumptions, predicts, and lets the rule decide; the knee is
 * the largest N the same rule accepts. `simulate` and `review` produce the same numbers through it.
 */
export function decide(inputs: DecisionInputs): DecisionResult {
  const { policy, users, stress = false, knee = true, ...rest } = inputs;
  const input: SimulateInput = {
    ...rest,
    policies: [policy],
    users: [users],
    ...(stress && rest.assumptions ? { abuse: abuseOf(rest.assumptions) } : {}),
  };
  if (stress && !rest.assumptions)
    throw new RangeError('the stress case needs the assumptions (abuseShare, abuseRatePerMinute)');
  const model = modelFor(input, policy);
  const prediction = predictPoint(input, model, users);
  const rule = judge(prediction, model.ctx.targets);
  return {
    policy: policy.name,
    users,
    verdict: rule.accepted ? 'GO' : 'NO-GO',
    reasons: rule.failures.map((f) => f.text),
    bindingResource: rule.bindingResource,
    knee: knee ? findKnee(model.profile, model.policy, model.ctx) : null,
    monthlyUsd: prediction.cost?.monthlyUsd ?? null,
    cheapestUsd: prediction.cheapest?.monthlyUsd ?? null,
    stress: stress && rest.assumptions ? stressLabel(rest.assumptions) : null,
    prediction,
  };
}
