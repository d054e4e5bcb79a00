// loadReferenceDataset: the set-up entry point. Bad reference data must stop the stack before any
// service uses it, so here a failed check becomes a thrown ReferenceDataError naming the row.
import { verifyHaiPhongFigures } from './hai-phong-figures.js';
import { ReferenceDataError } from './result.js';
import type { ReferenceDataset } from './schema.js';
import { validateReferenceDataset } from './validate-dataset.js';

export interface LoadReferenceDatasetOptions {
  /** Also insist on Hải Phòng's facts and official figures (default true). */
  readonly verifyFigures?: boolean;
}

/** Parses and checks `input` (e.g. JSON.parse of a file); throws ReferenceDataError if bad. */
export function loadReferenceDataset(
  input: unknown,
  { verifyFigures = true }: LoadReferenceDatasetOptions = {},
): ReferenceDataset {
  const checked = validateReferenceDataset(input);
  if (!checked.ok) throw new ReferenceDataError(checked.error);
  if (!verifyFigures) return checked.value;
  const verified = verifyHaiPhongFigures(checked.value);
  if (!verified.ok) throw new ReferenceDataError(verified.error);
  return verified.value;
}
