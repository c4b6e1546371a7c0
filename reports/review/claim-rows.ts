import type { ClaimEvaluation } from '../../simulator/index.ts';
import { num, usersLabel } from './format.ts';
import type { ClaimRow } from './review-types.ts';

const VERDICTS: Record<ClaimEvaluation['verdict'], ClaimRow['verdict']> = {
  holds: 'holds',
  arithmetic: 'arithmetic error',
  assumption: 'assumption does not hold',
  'not-modelled': 'not modelled',
};

function value(v: number | [number, number] | null, unit: string): string {
  if (v === null) return '-';
  return Array.isArray(v) ? `${num(v[0])}-${num(v[1])} ${unit}` : `${num(v)} ${unit}`;
}

/** The review's row for one claim the simulator evaluated (fixtures/targets/readiness.yaml). */
export function claimRow(c: ClaimEvaluation): ClaimRow {
  const at =
    c.profile.users === null ? c.profile.policy : `${c.profile.policy}, ${usersLabel(c.profile.users)} users`;
  return {
    id: c.id,
    claim: c.quote,
    source: `${c.document} line ${c.line}`,
    claimed: value(c.claimed, c.unit),
    underOwnAssumptions: value(c.own.value, c.unit),
    ownWorking: c.own.working,
    underProfile: c.profile.value === null ? '-' : `${value(c.profile.value, c.unit)} (${at})`,
    profileWorking: c.profile.working,
    verdict: VERDICTS[c.verdict],
    reason: c.reason,
  };
}
