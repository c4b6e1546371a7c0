import { z } from 'zod';
import { fixturePath, loadYamlConfig } from '../../core/load-yaml-config.ts';
import type { Pricing } from '../../simulator/index.ts';
import { LlmPricingSchema, PricingSchema } from '../../simulator/index.ts';

// The pricing inputs, read once at the edge: fixtures/pricing/{supabase,railway,redis,llm}.yaml. No flag
// chooses them, so an error names the file.

/** Loads fixtures/pricing/{supabase,railway,redis,llm}.yaml into one validated Pricing. */
export function loadPricing(): Pricing {
  const file = (name: string) => fixturePath('pricing', name);
  const supabase = loadYamlConfig('pricing', 'supabase', PricingSchema.shape.supabase, file('supabase'));
  const railway = loadYamlConfig(
    'pricing',
    'railway',
    z.object({ backend: PricingSchema.shape.backend }),
    file('railway'),
  );
  const redis = loadYamlConfig(
    'pricing',
    'redis',
    z.object({ redis: PricingSchema.shape.redis }),
    file('redis'),
  );
  const llm = loadYamlConfig('pricing', 'llm', LlmPricingSchema, file('llm'));
  return { supabase, backend: railway.backend, redis: redis.redis, llm };
}
