import { z } from 'zod';
import { LlmPricingSchema } from './llm.ts';

// The pricing inputs: fixtures/pricing/*.yaml merged into one object, validated at the edge.

const source = z.string().min(1);
/** Schema of fixtures/pricing/*.yaml merged into one object (validated at the edge, used here). */
export const PricingSchema = z.object({
  supabase: z.object({
    plans: z
      .array(
        z.object({
          name: z.string(),
          usdPerMonth: z.number().min(0),
          computeCreditUsd: z.number().min(0),
          source,
        }),
      )
      .min(1),
    compute: z
      .array(
        z.object({
          name: z.string(),
          cores: z.number().positive(),
          ramGb: z.number().positive(),
          maxDirectConnections: z.number().int().positive(),
          maxPoolerClients: z.number().int().positive(),
          usdPerMonth: z.number().min(0),
          /** Share of its cores a shared (burstable) size sustains; absent = dedicated (1). */
          baselineCpuShare: z.number().gt(0).max(1).optional(),
          /** Largest database the vendor recommends on this size, GB. */
          maxDbSizeGb: z.number().positive().optional(),
          /** Disk reads and writes a second the size sustains (its baseline) and bursts to. */
          baselineIops: z.number().positive().optional(),
          maxIops: z.number().positive().optional(),
          /** Where the IOPS come from (else `source`). */
          iopsSource: z.string().min(1).optional(),
          source,
        }),
      )
      .min(1),
    egress: z.object({ includedGb: z.number().min(0), usdPerGb: z.number().min(0), source }),
    disk: z.object({ includedGb: z.number().min(0), usdPerGb: z.number().min(0), source }),
    /** Auth monthly active users included in the plan and the price of each beyond. */
    auth: z.object({ includedMau: z.number().min(0), usdPerMau: z.number().min(0), source }).optional(),
  }),
  backend: z.object({
    name: z.string(),
    /** Usage pricing per vCPU and per GB RAM per month, and the plan fee. */
    usdPerVcpuMonth: z.number().min(0),
    usdPerGbRamMonth: z.number().min(0),
    planUsdPerMonth: z.number().min(0),
    /** Requests per second one vCPU serves (assumption until measured). */
    requestsPerVcpu: z.number().positive(),
    ramGbPerInstance: z.number().positive(),
    source,
  }),
  redis: z
    .array(
      z.object({
        name: z.string(),
        usdPerMonth: z.number().min(0),
        opsPerSecond: z.number().min(0),
        usdPer100kCommands: z.number().min(0).optional(),
        source,
      }),
    )
    .min(1),
  /** Language-model prices and limits (fixtures/pricing/llm.yaml). */
  llm: LlmPricingSchema.optional(),
});

/** The pricing inputs (fixtures/pricing/*.yaml merged). */
export type Pricing = z.output<typeof PricingSchema>;

/** Supabase compute size (fixtures/pricing). */
export type ComputeSize = Pricing['supabase']['compute'][number];
