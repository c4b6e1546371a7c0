// The simulator's public face: what the CLI, the reports and the benches may use, nothing more.
// Other folders import the simulator through this file (test/public-faces.test.ts checks it).
export type { ModelContext } from './analytic.ts';
export { predictAnalytic } from './analytic.ts';
export type { BaseLatencyShape } from './base-latency.ts';
export type { CalibrationRun, HostWait } from './calibrate.ts';
export { calibrate, runQueriesPerSecond } from './calibrate.ts';
export { otherCoresOf, stolenCoresOf } from './calibrate-cpu.ts';
export type { Calibration } from './calibration.ts';
export type { Claim, ClaimEvaluation } from './claim.ts';
export { ReadinessSchema } from './claim.ts';
export { evaluateClaims } from './claims.ts';
export type { CostPrediction } from './cost.ts';
export type { DataSizeFit, DataSizePoint } from './data-size.ts';
export { dataSizePoints, demandMs, fitDataSize, missRatio, syncDemandAt } from './data-size.ts';
export { defaultCalibration, defaultTargets } from './defaults.ts';
export type { DesPattern } from './des/index.ts';
export { DIURNAL_RAMP, JITTERED_TIMERS, POISSON, predictDes, THUNDERING_HERD } from './des/index.ts';
export type { LogNormal } from './distributions.ts';
export { logNormalFromMedianP95, logNormalMean } from './distributions.ts';
export { formatClaims, formatSimulation } from './format.ts';
export type { GeneratorStream, StreamOutcome } from './load-generator.ts';
export {
  DEFAULT_MAX_VUS as K6_MAX_VUS,
  k6Vus,
  messageIterationEstimateSeconds,
  syncIterationEstimateSeconds,
} from './load-generator.ts';
export type { Prediction, ResourceName, SimulationMode } from './prediction.ts';
export type { Pricing } from './pricing.ts';
export { PricingSchema } from './pricing.ts';
export { NO_ABUSE } from './rate-limit.ts';
export type { RunPrediction, RunToPredict } from './run-prediction.ts';
export { predictRun, scenarioKnee } from './run-prediction.ts';
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
export type { SimulateInput, SimulationResult } from './simulate.ts';
export { contextFor, simulate } from './simulate.ts';
export type { Targets } from './targets.ts';
export type { HeldOutRun, LevelFigures, ValidationLevel, ValidationReport } from './validate.ts';
export { formatValidation, measuredFigures, runContext, validateRuns } from './validate.ts';
export type { Workload } from './workload.ts';
export { workloadAt } from './workload.ts';
