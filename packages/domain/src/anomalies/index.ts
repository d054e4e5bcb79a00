// Anomalies: their events and decider, the election day's schedule events, the thresholds and the
// detection rules as a pure fold over the log. The public surface of this folder.
export * from './anomaly-values.js';
export * from './anomaly-events.js';
export * from './anomaly-decider.js';
export * from './anomaly-thresholds.js';
export * from './schedule.js';
export * from './anomaly-detector.js';
export { deterministicUuidV7 } from './deterministic-id.js';
