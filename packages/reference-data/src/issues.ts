// Where an issue is: every row of the dataset is named by its collection, index and id, and the
// list of issues stops growing at a size a person can act on (hostile input can be huge).
import type { ReferenceDataIssue, ReferenceDataIssueCode } from './result.js';

/** Enough to fix a file by; a hostile input must not turn into a megabyte of messages. */
export const maxIssues = 100;

export type Collection = 'communes' | 'pollingAreas' | 'electoralUnits' | 'candidates';

export const idField: Record<Collection, string> = {
  communes: 'communeId',
  pollingAreas: 'pollingAreaId',
  electoralUnits: 'unitId',
  candidates: 'candidateId',
};

export const isCollection = (key: unknown): key is Collection =>
  typeof key === 'string' && Object.hasOwn(idField, key);

function describeId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return /^[\w.-]+$/.test(shown) ? shown : JSON.stringify(shown);
}

export function field(value: unknown, key: string | number): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return typeof key === 'number' ? value[key] : undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** `pollingAreas[17] (PA-10507-018)`: the index, and the row's own id when it has a readable one. */
export function rowLabel(collection: Collection, index: number, id?: unknown): string {
  const shown = describeId(id);
  return shown === undefined ? `${collection}[${index}]` : `${collection}[${index}] (${shown})`;
}

/** Collects issues against rows; stops taking more once there are enough to act on. */
export class IssueList {
  readonly issues: ReferenceDataIssue[] = [];

  get full(): boolean {
    return this.issues.length >= maxIssues;
  }

  add(
    code: ReferenceDataIssueCode,
    at: { collection: Collection; index: number; id: string } | 'totals' | 'dataset',
    message: string,
    path: readonly (string | number)[] = [],
  ): void {
    if (this.full) return;
    if (typeof at === 'string') {
      this.issues.push({
        code,
        row: at,
        path: at === 'totals' ? ['totals', ...path] : path,
        message,
      });
      return;
    }
    this.issues.push({
      code,
      row: rowLabel(at.collection, at.index, at.id),
      path: [at.collection, at.index, ...path],
      message,
    });
  }
}
