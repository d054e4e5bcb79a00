// The reference dataset as zod schemas: the one definition of its shape. Types are inferred from
// these (a schema and its type share a name), the loader parses with them, and the stack's tables
// mirror them. Cross-row rules (ids resolve, sums agree) live in validate-dataset.ts.
import { z } from 'zod';
import { Level } from '@hpe/domain';
import { parseIsoDate } from './calendar.js';

/** The three ballot levels, as the domain names them. */
export const ElectoralLevel = Level;
export type ElectoralLevel = Level;

/** phường (urban ward), xã (rural commune), đặc khu (special zone): the code's names. */
export const CommuneType = z.enum(['phuong', 'xa', 'dac_khu']);
export type CommuneType = z.infer<typeof CommuneType>;

/** The same types as the sources write them; kept beside the code for display. */
export const CommuneTypeLabel = z.enum(['phường', 'xã', 'đặc khu']);
export type CommuneTypeLabel = z.infer<typeof CommuneTypeLabel>;

export const communeTypeLabels: Record<CommuneType, CommuneTypeLabel> = {
  phuong: 'phường',
  xa: 'xã',
  dac_khu: 'đặc khu',
};

/** Where the law lets a separate polling area be set up (Law on Election, art. 11). */
export const SeparatePollingAreaKind = z.enum([
  'armed_forces',
  'hospital',
  'care_facility',
  'detention',
  'rehabilitation',
]);
export type SeparatePollingAreaKind = z.infer<typeof SeparatePollingAreaKind>;

export const Gender = z.enum(['male', 'female']);
export type Gender = z.infer<typeof Gender>;

export const IsoDate = z
  .string()
  .max(10)
  .refine((text) => parseIsoDate(text) !== undefined, 'expected a calendar date YYYY-MM-DD');

/** Official code of the commune in the national list of administrative units. */
export const CommuneId = z.string().regex(/^\d{5}$/, 'expected a 5-digit commune code');
/** PA-<commune code>-<number in the commune>, e.g. PA-10507-001. */
export const PollingAreaId = z
  .string()
  .regex(/^PA-\d{5}-\d{3}$/, 'expected a polling area id like PA-10507-001');
/** NA-<n>, CITY-<nn> or C-<commune code>-<nn>: the level can be read from the id. */
export const ElectoralUnitId = z
  .string()
  .regex(
    /^(NA-\d{1,2}|CITY-\d{2}|C-\d{5}-\d{2})$/,
    'expected a unit id like NA-1, CITY-07 or C-10507-03',
  );
/** <unit id>-<nn>, the candidate's place on the unit's list. */
export const CandidateId = z
  .string()
  .regex(
    /^(NA-\d{1,2}|CITY-\d{2}|C-\d{5}-\d{2})-\d{2}$/,
    'expected a candidate id like CITY-07-03',
  );

const Name = z.string().min(1).max(200);
const Count = z.int().min(0).max(100_000_000);

export const Commune = z
  .strictObject({
    communeId: CommuneId,
    name: Name,
    type: CommuneType,
    typeLabel: CommuneTypeLabel,
    population: Count,
    areaKm2: z.number().positive().max(100_000),
    votersOnList: Count,
    pollingAreaCount: z.int().min(1).max(10_000),
    electionDate: IsoDate,
    cardDistribution: z.strictObject({ from: IsoDate, to: IsoDate }),
  })
  .refine((commune) => communeTypeLabels[commune.type] === commune.typeLabel, {
    message: 'typeLabel does not match type',
    path: ['typeLabel'],
  });
export type Commune = z.infer<typeof Commune>;

export const PollingAreaUnits = z.strictObject({
  na: ElectoralUnitId,
  city: ElectoralUnitId,
  commune: ElectoralUnitId,
});
export type PollingAreaUnits = z.infer<typeof PollingAreaUnits>;

const pollingAreaFields = {
  pollingAreaId: PollingAreaId,
  communeId: CommuneId,
  name: Name,
};

/** Khu vực bỏ phiếu: ordinary ones follow villages and residential groups; 40 are separate. */
export const PollingArea = z.discriminatedUnion('kind', [
  z.strictObject({
    ...pollingAreaFields,
    kind: z.literal('residential'),
    separateKind: z.null(),
    votersOnList: z.int().min(1).max(100_000),
    units: PollingAreaUnits,
  }),
  z.strictObject({
    ...pollingAreaFields,
    kind: z.literal('separate'),
    separateKind: SeparatePollingAreaKind,
    votersOnList: z.int().min(1).max(100_000),
    units: PollingAreaUnits,
  }),
]);
export type PollingArea = z.infer<typeof PollingArea>;
export type PollingAreaKind = PollingArea['kind'];

export const ElectoralUnit = z.strictObject({
  unitId: ElectoralUnitId,
  level: ElectoralLevel,
  name: Name,
  seats: z.int().min(1).max(100),
  communeIds: z.array(CommuneId).min(1).max(10_000),
  pollingAreaIds: z.array(PollingAreaId).min(1).max(100_000),
});
export type ElectoralUnit = z.infer<typeof ElectoralUnit>;

/** A fictional candidate: the names are drawn from lists, no real person is meant. */
export const Candidate = z.strictObject({
  candidateId: CandidateId,
  unitId: ElectoralUnitId,
  level: ElectoralLevel,
  fullName: Name,
  gender: Gender,
  birthDate: IsoDate,
});
export type Candidate = z.infer<typeof Candidate>;

export const LevelTotals = z.strictObject({ units: Count, seats: Count, candidates: Count });
export type LevelTotals = z.infer<typeof LevelTotals>;

export const DatasetTotals = z.strictObject({
  communes: Count,
  pollingAreas: Count,
  residentialPollingAreas: Count,
  separatePollingAreas: Count,
  votersOnList: Count,
  electoralUnits: z.strictObject({ na: LevelTotals, city: LevelTotals, commune: LevelTotals }),
});
export type DatasetTotals = z.infer<typeof DatasetTotals>;

export const ReferenceDataset = z.strictObject({
  formatVersion: z.literal(1),
  electionId: z.string().regex(/^[a-z0-9-]{1,64}$/),
  seed: z.string().max(1_000),
  electionDate: IsoDate,
  totals: DatasetTotals,
  communes: z.array(Commune).min(1).max(10_000),
  pollingAreas: z.array(PollingArea).min(1).max(100_000),
  electoralUnits: z.array(ElectoralUnit).min(1).max(20_000),
  candidates: z.array(Candidate).min(1).max(100_000),
});
export type ReferenceDataset = z.infer<typeof ReferenceDataset>;

/** One voter on a list, as generateVoters yields them (fictional people, fictional ids). */
export const Voter = z.strictObject({
  citizenId: z.string().regex(/^\d{12}$/, 'expected a 12-digit citizen id'),
  fullName: Name,
  gender: Gender,
  birthYear: z.int().min(1900).max(2100),
  pollingAreaId: PollingAreaId,
  cardNumber: z
    .string()
    .regex(/^PA-\d{5}-\d{3}-\d{4,}$/, 'expected a card number like PA-10507-001-0042'),
});
export type Voter = z.infer<typeof Voter>;
