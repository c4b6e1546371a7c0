import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REVIEW_FIXTURES } from './fixtures/review/review-input.ts';
import { fixtureSimulationJson } from './fixtures/review/simulation-input.ts';

describe('the frozen review fixture', () => {
  it('simulation.json is what the simulator computes today from its stated inputs (else: npm run fixtures:regen)', () => {
    const frozen = JSON.parse(readFileSync(join(REVIEW_FIXTURES, 'simulation.json'), 'utf8'));
    expect(frozen, 'test/fixtures/review/simulation.json is stale: run `npm run fixtures:regen`').toEqual(
      JSON.parse(fixtureSimulationJson()),
    );
  });
});
