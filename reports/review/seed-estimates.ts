import type { SeedCostEstimate } from '../charts/cost-vs-users-chart.ts';

/**
 * Monthly costs the seed documents state, overlaid on the predicted costs. Every figure is quoted
 * from the document named in its label; none is a measurement.
 */
export const SEED_COST_ESTIMATES: readonly (SeedCostEstimate & { source: string })[] = [
  {
    users: 10_000,
    usdPerMonth: 85,
    label: 'launch report',
    source: 'launch-readiness-report.md, COST IMPACT, "At 10k Users: Total: ~$85/month"',
  },
  {
    users: 100_000,
    usdPerMonth: 850,
    label: 'launch report',
    source: 'launch-readiness-report.md, COST IMPACT, "At 100k Users: Total: ~$850/month"',
  },
  {
    users: 1_000,
    usdPerMonth: 0,
    label: 'analysis, current V1',
    source: 'storage-architecture-analysis.md, COST PROJECTIONS, Current V1 Architecture, 1,000 users: $0',
  },
  {
    users: 10_000,
    usdPerMonth: 40,
    label: 'analysis, current V1',
    source: 'storage-architecture-analysis.md, COST PROJECTIONS, Current V1 Architecture, 10,000 users: $40',
  },
  {
    users: 100_000,
    usdPerMonth: 340,
    label: 'analysis, current V1',
    source:
      'storage-architecture-analysis.md, COST PROJECTIONS, Current V1 Architecture, 100,000 users: $340',
  },
  {
    users: 1_000,
    usdPerMonth: 0,
    label: 'analysis, optimized',
    source: 'storage-architecture-analysis.md, COST PROJECTIONS, Optimized Architecture, 1,000 users: $0',
  },
  {
    users: 10_000,
    usdPerMonth: 25,
    label: 'analysis, optimized',
    source: 'storage-architecture-analysis.md, COST PROJECTIONS, Optimized Architecture, 10,000 users: $25',
  },
  {
    users: 100_000,
    usdPerMonth: 330,
    label: 'analysis, optimized',
    source: 'storage-architecture-analysis.md, COST PROJECTIONS, Optimized Architecture, 100,000 users: $330',
  },
];
