// The turnout of a polling area: its schemas, its polling hours and its decider. The public surface
// of this folder; `PollingAreaId` stays inside (tallies declares the same id).
export * from './turnout-commands.js';
export * from './turnout-events.js';
export * from './turnout-decider.js';
export * from './polling-hours.js';
export {
  electionDates,
  FieldTime,
  ElectionDate,
  MAX_VOTERS,
  VoterCount,
} from './turnout-values.js';
