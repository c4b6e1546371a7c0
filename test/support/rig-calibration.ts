import { type Calibration, defaultCalibration } from '../../simulator/index.ts';

/**
 * A rig calibration for tests, numbers chosen, not measured: the default statements (0.5 ms
 * conversations and messages, 1.0 ms push), 0.6 of their time the database's CPU (+0.01 cores fixed);
 * the target and k6 0.05 ms of CPU per request each (+0.02 and +0.03 cores), 0.05 cores of other load
 * on a 2-core host.
 */
export function rigTestCalibration(): Calibration {
  const c = defaultCalibration();
  c.cpuShareOfDbTime = 0.6;
  const fit = { r2: null, source: 'test' };
  c.cpu = {
    appMsPerRequest: { default: 0.05 },
    app: { ...fit, perUnit: 0.05, fixedCores: 0.02 },
    database: { ...fit, perUnit: 0.6, fixedCores: 0.01 },
    loadGenerator: { ...fit, perUnit: 0.05, fixedCores: 0.03 },
    otherCores: 0.05,
    rigCores: 2,
    appSplit: 'test',
  };
  return c;
}
