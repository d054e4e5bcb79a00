// The tallies' public surface: counting minutes and their rules, the per-area tally decider,
// the unit result function and the declaration decider. Named one by one so that generic names
// (ids, counts) in ids.ts never collide with other folders' exports.
export { MAX_COUNT as MAX_MINUTE_COUNT, MAX_SEATS as MAX_UNIT_SEATS } from './ids.js';
export {
  CountingMinute,
  MAX_CANDIDATES_PER_MINUTE,
  checkCountingMinute,
  minuteCodes,
  minuteViolations,
  sameMinute,
} from './counting-minute.js';
export type { MinuteCode, MinuteContext, MinuteViolation } from './counting-minute.js';
export {
  CorrectCountingMinute,
  CountingMinuteCorrected,
  CountingMinuteRefused,
  CountingMinuteSubmitted,
  MinuteUnitContext,
  SubmitCountingMinute,
  TallyCommand,
  TallyEvent,
  currentMinute,
  tallyDecider,
  tallyRejectionOf,
  tallyStreamId,
} from './tally.js';
export type { MinuteVersion, TallyCode, TallyState } from './tally.js';
export {
  CandidateResult,
  UnitOutcome,
  UnitResult,
  decideUnitResult,
  needsAdditionalVote,
  unitOutcomes,
} from './unit-result.js';
export type { UnitResultInput } from './unit-result.js';
export {
  DeclareUnitResult,
  ResultCommand,
  ResultEvent,
  RevertUnitResultDeclaration,
  UnitResultDeclarationReverted,
  UnitResultDeclared,
  resultDeclarationDecider,
  resultStreamId,
} from './result-declaration.js';
export type { ResultCode, ResultDeclarationState } from './result-declaration.js';
