import type { Claim, ClaimEvaluation, ClaimsContext, ClaimVerdict } from './claim.ts';
import { claimDifference, claimIdentity, fmt, fmtRange, matchesClaim, num } from './claim.ts';
import { evaluateDataSizeClaim } from './claim-data-size.ts';
import { evaluateDataSizeLatencyClaim } from './claim-data-size-latency.ts';
import { ownSide } from './claim-own-side.ts';
import { profileSide } from './claim-profile-side.ts';

// The seed documents' quantitative claims (fixtures/targets/readiness.yaml), each evaluated twice:
// under its own assumptions (is the arithmetic right?) and under the chosen profile and policy (does it
// hold for Atlas as modelled?).

/** Evaluates one claim under its own assumptions and under the profile. */
export function evaluateClaim(claim: Claim, ctx: ClaimsContext): ClaimEvaluation {
  const policyName = claim.policy;
  if (claim.kind === 'data-size-factor') return evaluateDataSizeClaim(claim, ctx);
  if (claim.kind === 'data-size-latency') return evaluateDataSizeLatencyClaim(claim, ctx);
  if (claim.kind === 'not-modelled') {
    return {
      ...claimIdentity(claim),
      own: { value: null, working: '', matches: null },
      profile: { value: null, policy: policyName, users: null, working: '', matches: null },
      difference: null,
      verdict: 'not-modelled',
      reason: claim.reason ?? 'outside the queueing and cost model',
    };
  }
  const own = ownSide(claim, ctx);
  const prof = profileSide(claim, ctx);
  const ownMatches =
    own.value === null || claim.kind === 'connections-limit'
      ? null
      : matchesClaim(claim.claimed, own.value, claim.tolerance, claim.atLeast);
  const isCost = claim.kind.endsWith('cost');
  const pTol = claim.profileTolerance ?? (isCost ? 0.25 : Math.max(claim.tolerance, 0.1));
  const profMatches =
    prof.value === null ? null : matchesClaim(claim.claimed, prof.value, pTol, claim.atLeast);
  let verdict: ClaimVerdict;
  let reason: string;
  const claimedText = `${fmtRange(claim.claimed)} ${claim.unit}`;
  if (ownMatches === false) {
    verdict = 'arithmetic';
    reason = `its own inputs give ${fmtRange(own.value)} ${claim.unit}, not ${claimedText}: ${own.working}`;
  } else if (profMatches === false) {
    verdict = 'assumption';
    reason = `${ownMatches ? 'the arithmetic holds, but ' : ''}under ${ctx.profile.name}/${policyName} it is ${fmtRange(prof.value)} ${claim.unit}: ${prof.working}`;
  } else if (profMatches === null && ownMatches === null) {
    verdict = 'assumption';
    reason = `not checkable here: ${prof.working || own.working}`;
  } else {
    verdict = 'holds';
    reason = `${ownMatches ? `${own.working}; ` : ''}${prof.value !== null ? `under ${ctx.profile.name}/${policyName}: ${fmtRange(prof.value)} ${claim.unit}` : ''}`;
  }
  if (claim.kind === 'pool-failure-users' && ownMatches === false) {
    reason += `. Failing at ${claimedText} would need ${fmt((num(claim.assumptions, 'perUserPerMinute') * (own.value as number)) / (typeof claim.claimed === 'number' ? claim.claimed : claim.claimed[0]))} requests/min per user or ${fmt((num(claim.assumptions, 'holdMs') * (own.value as number)) / (typeof claim.claimed === 'number' ? claim.claimed : claim.claimed[0]))} ms holds`;
  }
  if (prof.extra) reason += `. ${prof.extra}`;
  return {
    ...claimIdentity(claim),
    own: { value: own.value, working: own.working, matches: ownMatches },
    profile: {
      value: prof.value,
      policy: policyName,
      users: prof.users,
      working: prof.working,
      matches: profMatches,
    },
    difference: claimDifference(claim.claimed, prof.value),
    verdict,
    reason,
  };
}

/** Evaluates every claim (pure). */
export function evaluateClaims(claims: Claim[], ctx: ClaimsContext): ClaimEvaluation[] {
  return claims.map((c) => evaluateClaim(c, ctx));
}
