// The simulator's public face: what the CLI, the reports and the benches may use, nothing more.
// Other folders import the simulator through this file (test/public-faces.test.ts checks it).
export type { ModelContext } from './analytic.ts';
export { predictAnalytic } from './analytic.ts';
export type { AnalyticModelInput } from './analytic-decision-model.ts';
export { analyticDecisionModel, assumptionDials, modelAt, POOL_SCALE } from './analytic-decision-model.ts';
export type {
  Assumption,
  AssumptionBases,
  AssumptionGroup,
  AssumptionName,
  Assumptions,
} from './assumptions.ts';
export {
  ASSUMPTION_NAMES,
  AssumptionError,
  applyAssignments,
  assumptionValues,
  checkAssumptionValue,
  defaultAssumptions,
  isAssumptionName,
  parseAssignment,
  withAssumption,
} from './assumptions.ts';
export type { BaseLatencyShape } from './base-latency.ts';
export type { CalibrationRun, HostWait } from './calibrate.ts';
export { calibrate, runQueriesPerSecond } from './calibrate.ts';
export { otherCoresOf, runRequestsPerSecond, stolenCoresOf } from './calibrate-cpu.ts';
export type { Calibration } from './calibration.ts';
export type { Claim, ClaimEvaluation } from './claim.ts';
export { ReadinessSchema } from './claim.ts';
export { evaluateClaims } from './claims.ts';
export type { CheapestResult, CostItem, CostPrediction } from './cost.ts';
export { cheapestConfiguration } from './cost.ts';
export { coresAt } from './cpu-at-load.ts';
export type { DataSizeFit, DataSizePoint } from './data-size.ts';
export { dataSizePoints, fitDataSize } from './data-size.ts';
export { contextAtUsers, databaseMemoryOf } from './data-size-context.ts';
export type {
  DatabaseMemory,
  DataSizeAssumption,
  DataSizeCarry,
  DataSizeContext,
  DataSizeInput,
  SeededDataset,
} from './data-size-demand.ts';
export {
  calibrationAtDataSize,
  dataSizeCarry,
  dataSizeInputOf,
  MS_PER_ROW,
  PAGE_READ_CPU_MS,
  rowsPerStatement,
} from './data-size-demand.ts';
export type { DataSizeSetting, DataSizeSettings } from './data-size-settings.ts';
export { dataSizeSettingsOf } from './data-size-settings.ts';
export { DB_CONGESTION_PER_BUSY_CONNECTION } from './db-congestion.ts';
export { runDbCongestion } from './db-congestion-seconds.ts';
export type { DecisionInputs, DecisionResult, Verdict } from './decide.ts';
export { decide } from './decide.ts';
export type { DecisionModel, Dial, DialValues, KneeHint, KneeValue } from './decision-model.ts';
export { baseValues, hasRange } from './decision-model.ts';
export type { RuleFailure, RuleInput, RuleOutcome } from './decision-rule.ts';
export { budgetOf, DEFAULT_MAX_WAIT_PROBABILITY, hasHeadroom, judge } from './decision-rule.ts';
export { defaultCalibration, defaultTargets } from './defaults.ts';
export type { DesPattern } from './des/index.ts';
export { DIURNAL_RAMP, JITTERED_TIMERS, POISSON, predictDes, THUNDERING_HERD } from './des/index.ts';
export type { LogNormal } from './distributions.ts';
export { logNormalFromMedianP95, logNormalMean } from './distributions.ts';
export type { Flip, FlipPoint } from './flip-points.ts';
export { FLIP_PRECISION, flipPoints, flipValue, verdictFromKnee } from './flip-points.ts';
export { formatClaims, formatSimulation } from './format.ts';
export { processMsPerIteration } from './idle-vcpu-wake.ts';
export type { InterferenceState } from './interference-states.ts';
export { INTERFERENCE_BIN_CORES, interferenceStates, outsideCoresOf } from './interference-states.ts';
export type { Knee } from './knee.ts';
export { findKnee } from './knee.ts';
export type { KneeSearchOptions } from './knee-search.ts';
export { searchKnee } from './knee-search.ts';
export type { KneeSurface, LoadsOf, SurfaceInfo } from './knee-surface.ts';
export { kneeSurface } from './knee-surface.ts';
export type { LlmLoad, LlmPricing, LlmTierCost } from './llm.ts';
export { LlmPricingSchema, llmLoadOf, llmMonthlyCost } from './llm.ts';
export {
  abuseOf,
  applyLoad,
  checkLoadAssumptions,
  loadSentence,
  monthlyMessagesByTier,
  onlineShareOf,
  peakRateByTier,
  stressLabel,
  uncappedMonthlyMessages,
} from './load.ts';
export type { GeneratorStream, StreamOutcome } from './load-generator.ts';
export {
  DEFAULT_MAX_VUS as K6_MAX_VUS,
  k6Vus,
  messageIterationEstimateSeconds,
  syncIterationEstimateSeconds,
} from './load-generator.ts';
export { atKneeProbeSpeed, loadAdjustedProbeUs } from './machine-speed.ts';
export type { OverMachineStates } from './machine-states.ts';
export { isMachineStateSpread, machineStateScales, predictOverMachineStates } from './machine-states.ts';
export type { MetastableLoad } from './metastable-load.ts';
export { metastableLoad } from './metastable-load.ts';
export type { MonteCarloOptions, MonteCarloResult, Spread } from './monte-carlo.ts';
export { drawValues, monteCarlo, triangularQuantile, WITHIN_RANGE } from './monte-carlo.ts';
export {
  egressGbPerMonth,
  monthlyActiveUsers,
  monthlyMessages,
  storageGrowthGbPerMonth,
  sustainedCores,
} from './monthly-usage.ts';
export type { LoopingUsers, PageReadInput, PageReads, WorkingSet } from './page-reads.ts';
export {
  INDEX_BYTES,
  pageReads,
  SEEDED_ROWS_PER_PAGE,
  workingSetOf,
} from './page-reads.ts';
export type { PoolRecovery } from './pool-recovery.ts';
export { CALM_RUN_SECONDS, poolRecovery } from './pool-recovery.ts';
export type { LevelAtRunSpeeds } from './pooled-prediction.ts';
export { pooledPredictedP95, predictLevelAtRunSpeeds } from './pooled-prediction.ts';
export type { NoConfiguration, Prediction, ResourceName, SimulationMode } from './prediction.ts';
export type { Pricing } from './pricing.ts';
export { PricingSchema } from './pricing.ts';
export { hasPushPaths, PUSH_PATHS, pushRowShareOf } from './push-paths.ts';
export { NO_ABUSE } from './rate-limit.ts';
export { rigReadsPerIteration } from './rig-data-size.ts';
export { rigDatabaseCores } from './rig-db-cpu.ts';
export type { RunPrediction, RunToPredict, SaturationKnee } from './run-prediction.ts';
export { predictRun, saturationKnee, scenarioKnee } from './run-prediction.ts';
export type { ScenarioLoad } from './scenario-load.ts';
export {
  ABUSIVE_PER_MIN,
  ABUSIVE_SHARE,
  abusiveUsersOf,
  MAX_ABUSIVE_USERS,
  PREDICTABLE_SCENARIOS,
  scenarioLoad,
  scenarioSyncMode,
  simulateScenario,
} from './scenario-load.ts';
export type { SeedCostEstimate } from './seed-costs.ts';
export { seedCostEstimates } from './seed-costs.ts';
export type { Tornado, TornadoBar } from './sensitivity.ts';
export { kneeNumber, tornadoes } from './sensitivity.ts';
export type { PolicyModel, SimulateInput, SimulationResult } from './simulate.ts';
export { contextFor, modelFor, predictPoint, simulate } from './simulate.ts';
export type { Targets } from './targets.ts';
export type {
  CostSpread,
  KneeSpread,
  MonteCarloSummary,
  SurfaceCheck,
  Uncertainty,
  UncertaintyOptions,
} from './uncertainty.ts';
export { analyseUncertainty } from './uncertainty.ts';
export type {
  HeldOutRun,
  LevelFigures,
  LoopFigures,
  RunSpeed,
  ValidationLevel,
  ValidationReport,
} from './validate.ts';
export {
  formatValidation,
  machineContext,
  measuredFigures,
  metastableLine,
  runContext,
  validateRuns,
} from './validate.ts';
export type { GridAxis, GridRow, WhatIfGrid } from './what-if-grid.ts';
export { gridLevels, whatIfGrid } from './what-if-grid.ts';
export type { PageGroup } from './working-set.ts';
export { characteristicTime, missRatios } from './working-set.ts';
export type { Workload } from './workload.ts';
export { QUERIES_PER_MESSAGE, workloadAt } from './workload.ts';
