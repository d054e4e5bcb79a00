// @hpe/reference-data: Hải Phòng's election of 15 March 2026 as data. Real communes and National
// Assembly units, generated polling areas, council units and fictional candidates and voters,
// and the checks that refuse reference data that is malformed or not Hải Phòng's.
export {
  Candidate,
  Commune,
  CommuneId,
  CommuneType,
  CommuneTypeLabel,
  communeTypeLabels,
  DatasetTotals,
  ElectoralLevel,
  ElectoralUnit,
  ElectoralUnitId,
  Gender,
  IsoDate,
  LevelTotals,
  PollingArea,
  PollingAreaId,
  PollingAreaUnits,
  ReferenceDataset,
  SeparatePollingAreaKind,
  Voter,
  type PollingAreaKind,
} from './schema.js';
export {
  defaultReferenceSeed,
  generateReferenceDataset,
  type GenerateReferenceDatasetOptions,
} from './generate-dataset.js';
export { generateVoters, type GenerateVotersOptions } from './generate-voters.js';
export { validateReferenceDataset } from './validate-dataset.js';
export { verifyHaiPhongFigures } from './hai-phong-figures.js';
export { loadReferenceDataset, type LoadReferenceDatasetOptions } from './load-dataset.js';
export {
  ReferenceDataError,
  type ReferenceDataFailure,
  type ReferenceDataFailureCode,
  type ReferenceDataIssue,
  type ReferenceDataIssueCode,
  type Result,
} from './result.js';
export { bachLongVi, haiPhong2026 } from './figures.js';
export { maxSeatsPerUnit, minCandidateAge, minCandidates, minVoterAge } from './election-law.js';
export { communeFacts, type CommuneFact } from './facts/communes.js';
export {
  nationalAssemblyUnitFacts,
  type NationalAssemblyUnitFact,
} from './facts/national-assembly-units.js';
