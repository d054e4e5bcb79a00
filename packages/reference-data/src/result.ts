// What a check of reference data returns. Bad data is an expected failure, so it is a value with a
// stable code; loadReferenceDataset turns it into a thrown ReferenceDataError for set-up code.
import { err, ok, type Err, type Ok, type Result } from '@hpe/domain';

export { err, ok, type Err, type Ok, type Result };

/** Stable codes, one per kind of problem; tests and callers match on these, never on messages. */
export type ReferenceDataIssueCode =
  | 'REFERENCE_DATA.INVALID_SHAPE'
  | 'REFERENCE_DATA.DUPLICATE_ID'
  | 'REFERENCE_DATA.ID_MISMATCH'
  | 'REFERENCE_DATA.DANGLING_REFERENCE'
  | 'REFERENCE_DATA.WRONG_LEVEL'
  | 'REFERENCE_DATA.AREA_NOT_IN_UNIT'
  | 'REFERENCE_DATA.AREA_IN_TWO_UNITS'
  | 'REFERENCE_DATA.AREA_UNIT_MISMATCH'
  | 'REFERENCE_DATA.UNIT_COMMUNES_MISMATCH'
  | 'REFERENCE_DATA.COMMUNE_SPLIT'
  | 'REFERENCE_DATA.VOTERS_MISMATCH'
  | 'REFERENCE_DATA.AREA_COUNT_MISMATCH'
  | 'REFERENCE_DATA.SEATS_OUT_OF_RANGE'
  | 'REFERENCE_DATA.TOO_FEW_CANDIDATES'
  | 'REFERENCE_DATA.CANDIDATE_TOO_YOUNG'
  | 'REFERENCE_DATA.DATES_INCONSISTENT'
  | 'REFERENCE_DATA.TOTALS_MISMATCH'
  | 'REFERENCE_DATA.NOT_HAI_PHONG_2026';

/** One problem, tied to the row that has it: `row` reads like `pollingAreas[17] (PA-10507-018)`. */
export interface ReferenceDataIssue {
  readonly code: ReferenceDataIssueCode;
  readonly row: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export type ReferenceDataFailureCode =
  'REFERENCE_DATA.INVALID' | 'REFERENCE_DATA.NOT_HAI_PHONG_2026';

export interface ReferenceDataFailure {
  readonly code: ReferenceDataFailureCode;
  /** The first issue, with its row, and how many more there are. */
  readonly message: string;
  readonly issues: readonly ReferenceDataIssue[];
}

export function failure(
  code: ReferenceDataFailureCode,
  issues: readonly ReferenceDataIssue[],
): ReferenceDataFailure {
  const [first] = issues;
  if (first === undefined) throw new Error('a reference-data failure needs at least one issue');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return { code, message: `${first.row}: ${first.message}${more}`, issues };
}

/** Thrown by loadReferenceDataset: bad reference data stops the set-up, with the row named. */
export class ReferenceDataError extends Error {
  readonly code: ReferenceDataFailureCode;
  readonly issues: readonly ReferenceDataIssue[];

  constructor(failed: ReferenceDataFailure) {
    super(failed.message);
    this.name = 'ReferenceDataError';
    this.code = failed.code;
    this.issues = failed.issues;
  }
}
