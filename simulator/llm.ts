import { z } from 'zod';
import type { Tier } from '../core/profile.ts';
import { TIERS } from '../core/profile.ts';
import type { Assumptions } from './assumptions.ts';
import type { ResourcePrediction } from './prediction.ts';
import type { RateLimitPrediction } from './rate-limit.ts';

// The language-model API as a capacity and a cost: each admitted /api/message is one request of
// (input + output) tokens of its tier's model; the provider allows so many requests and tokens per
// minute (a capacity, like a pool), and bills tokens at the model's list price.

const source = z.string().min(1);
/** Schema of fixtures/pricing/llm.yaml: models with prices per million tokens, tier → model, provider limits. */
export const LlmPricingSchema = z.object({
  models: z
    .array(
      z.object({
        name: z.string().min(1),
        inputUsdPerMTok: z.number().min(0),
        outputUsdPerMTok: z.number().min(0),
        source,
      }),
    )
    .min(1),
  tiers: z.object({ free: z.string(), core: z.string(), studio: z.string() }),
  limits: z.object({
    requestsPerMinute: z.number().positive(),
    tokensPerMinute: z.number().positive(),
    source,
  }),
});

/** Language-model prices and limits (fixtures/pricing/llm.yaml). */
export type LlmPricing = z.output<typeof LlmPricingSchema>;

/** What the model needs of the language model: tokens per message by tier and the provider's limits. */
export interface LlmLoad {
  tokensPerMessage: Record<Tier, { input: number; output: number }>;
  requestsPerMinute: number;
  tokensPerMinute: number;
}

/** The language-model load the assumptions define. */
export function llmLoadOf(a: Assumptions): LlmLoad {
  return {
    tokensPerMessage: {
      free: { input: a.inputTokensFree.value, output: a.outputTokensFree.value },
      core: { input: a.inputTokensCore.value, output: a.outputTokensCore.value },
      studio: { input: a.inputTokensStudio.value, output: a.outputTokensStudio.value },
    },
    requestsPerMinute: a.llmRequestsPerMinute.value,
    tokensPerMinute: a.llmTokensPerMinute.value,
  };
}

/** Tokens per second the admitted messages send (input + output), all tiers. */
export function tokensPerSecond(rateLimits: readonly RateLimitPrediction[], llm: LlmLoad): number {
  return rateLimits.reduce((s, r) => {
    const t = llm.tokensPerMessage[r.tier as Tier];
    return s + r.admittedRate * (t ? t.input + t.output : 0);
  }, 0);
}

function rateResource(
  name: 'llm.requests' | 'llm.tokens',
  ratePerSecond: number,
  limitPerMinute: number,
  what: string,
): ResourcePrediction {
  const capacity = limitPerMinute / 60;
  const u = capacity > 0 ? ratePerSecond / capacity : Number.POSITIVE_INFINITY;
  return {
    name,
    // A limit per minute is not a pool: one "server" whose capacity is the limit, so the rule's
    // utilisation ceiling applies to it as to a single server (bursts within a minute hit it first).
    servers: 1,
    arrivalRate: ratePerSecond,
    serviceTimeMs: capacity > 0 ? 1000 / capacity : 0,
    offeredLoad: u,
    utilisation: u,
    probabilityOfWaiting: Math.min(1, u),
    meanWaitMs: u >= 1 ? null : 0,
    p95WaitMs: u >= 1 ? null : 0,
    saturated: u >= 1,
    capacityPerSecond: capacity,
    limitPerMinute: { limit: limitPerMinute, what },
    serviceTimeSource: `provider limit ${limitPerMinute.toLocaleString('en-US')} ${what}/min (assumptions llmRequestsPerMinute / llmTokensPerMinute)`,
  };
}

/** The provider's request and token limits as resources (utilisation = admitted rate / limit). */
export function llmResources(
  rateLimits: readonly RateLimitPrediction[],
  llm: LlmLoad | undefined,
): ResourcePrediction[] {
  if (!llm) return [];
  const requests = rateLimits.reduce((s, r) => s + r.admittedRate, 0);
  return [
    rateResource('llm.requests', requests, llm.requestsPerMinute, 'requests'),
    rateResource('llm.tokens', tokensPerSecond(rateLimits, llm), llm.tokensPerMinute, 'tokens'),
  ];
}

/** One tier's language-model bill for a month: messages × tokens × the model's price × the price factor. */
export interface LlmTierCost {
  tier: Tier;
  model: string;
  messages: number;
  inputTokens: number;
  outputTokens: number;
  usd: number;
  source: string;
}

/** Monthly language-model cost by tier for `messagesByTier` messages a month. */
export function llmMonthlyCost(
  pricing: LlmPricing,
  llm: LlmLoad,
  messagesByTier: Record<Tier, number>,
  priceFactor: number,
): LlmTierCost[] {
  return TIERS.map((tier) => {
    const name = pricing.tiers[tier];
    const model = pricing.models.find((m) => m.name === name);
    if (!model) throw new RangeError(`fixtures/pricing/llm.yaml: tier ${tier} names unknown model '${name}'`);
    const t = llm.tokensPerMessage[tier];
    const messages = messagesByTier[tier];
    const inputTokens = messages * t.input;
    const outputTokens = messages * t.output;
    const usd =
      ((inputTokens * model.inputUsdPerMTok + outputTokens * model.outputUsdPerMTok) / 1e6) * priceFactor;
    return { tier, model: model.name, messages, inputTokens, outputTokens, usd, source: model.source };
  });
}
