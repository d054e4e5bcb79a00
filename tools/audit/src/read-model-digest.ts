// The digest of a read-model table, and the comparison of two versions of one (live and replayed).
// Defined so that an auditor can recompute it with any SHA-256 and RFC 8785 implementation
// (docs/audit.md, "Digests"): every column the projections write, each row as one canonical JSON
// line, the lines in primary-key order, SHA-256 over the lines each followed by "\n".
import { createHash } from 'node:crypto';
import { canonicalJson } from '@hpe/ledger';
import { tableSpecs, type TableName, type Tables } from '@hpe/read-models';

/** A row as loadRows gives it: instants as ISO text (UTC, ms), counts as numbers, JSON as values. */
export type Row = Readonly<Record<string, unknown>>;

export interface TableDigest {
  readonly table: TableName;
  readonly rows: number;
  /** SHA-256, lower-case hex. */
  readonly sha256: string;
}

/** A table's digest with its rows by primary key, to tell which rows differ. */
export interface DigestedTable extends TableDigest {
  /** Canonical JSON of the key values → the row's canonical line and the row. */
  readonly byKey: ReadonlyMap<string, { readonly line: string; readonly row: Row }>;
}

/** Key values compared column by column: numbers as numbers, everything else as text. */
function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return x < y ? -1 : 1;
      continue;
    }
    const sx = String(x);
    const sy = String(y);
    if (sx !== sy) return sx < sy ? -1 : 1;
  }
  return 0;
}

/** The row restricted to the table's columns (a missing value is null), as canonical JSON. */
export function rowLine(table: TableName, row: Row): string {
  const out: Record<string, unknown> = {};
  for (const column of tableSpecs[table].columns) out[column.name] = row[column.name] ?? null;
  return canonicalJson(out);
}

export function keyValues(table: TableName, row: Row): unknown[] {
  return tableSpecs[table].primaryKey.map((k) => row[k] ?? null);
}

export function digestTable<T extends TableName>(
  table: T,
  rows: readonly Tables[T][] | readonly Row[],
): DigestedTable {
  const entries = (rows as readonly Row[]).map((row) => ({
    key: keyValues(table, row),
    line: rowLine(table, row),
    row,
  }));
  entries.sort((a, b) => compareKeys(a.key, b.key));
  const hash = createHash('sha256');
  const byKey = new Map<string, { line: string; row: Row }>();
  for (const e of entries) {
    const key = canonicalJson(e.key);
    if (byKey.has(key)) throw new Error(`table ${table} holds two rows with the key ${key}`);
    byKey.set(key, { line: e.line, row: e.row });
    hash.update(e.line);
    hash.update('\n');
  }
  return { table, rows: entries.length, sha256: hash.digest('hex'), byKey };
}

export type DifferenceKind = 'changed' | 'only-live' | 'only-replay';

export interface RowDifference {
  readonly kind: DifferenceKind;
  /** Primary-key column → value. */
  readonly key: Readonly<Record<string, unknown>>;
  /** The columns whose values differ (every column for a row on one side only). */
  readonly columns: readonly {
    readonly column: string;
    readonly live: unknown;
    readonly replay: unknown;
  }[];
}

export interface TableComparison {
  readonly table: TableName;
  readonly equal: boolean;
  readonly live: TableDigest;
  readonly replay: TableDigest;
  readonly changed: number;
  readonly onlyLive: number;
  readonly onlyReplay: number;
  /** The first differing rows in key order, at most the sample size asked for. */
  readonly sample: readonly RowDifference[];
}

const summary = (d: DigestedTable): TableDigest => ({
  table: d.table,
  rows: d.rows,
  sha256: d.sha256,
});

/** Compares two digests of one table; lists up to `sampleSize` differing rows. */
export function compareTables(
  live: DigestedTable,
  replay: DigestedTable,
  sampleSize: number,
): TableComparison {
  if (live.table !== replay.table) throw new Error(`${live.table} compared with ${replay.table}`);
  const table = live.table;
  const spec = tableSpecs[table];
  const differences: { key: unknown[]; diff: RowDifference }[] = [];
  let changed = 0;
  let onlyLive = 0;
  let onlyReplay = 0;
  const keyObject = (row: Row): Record<string, unknown> =>
    Object.fromEntries(spec.primaryKey.map((k) => [k, row[k] ?? null]));
  const note = (row: Row, diff: RowDifference): void => {
    differences.push({ key: keyValues(table, row), diff });
  };
  if (live.sha256 !== replay.sha256) {
    for (const [key, l] of live.byKey) {
      const r = replay.byKey.get(key);
      if (r === undefined) {
        onlyLive += 1;
        note(l.row, {
          kind: 'only-live',
          key: keyObject(l.row),
          columns: spec.columns.map((c) => ({
            column: c.name,
            live: l.row[c.name] ?? null,
            replay: null,
          })),
        });
      } else if (r.line !== l.line) {
        changed += 1;
        note(l.row, {
          kind: 'changed',
          key: keyObject(l.row),
          columns: spec.columns
            .filter(
              (c) => canonicalJson(l.row[c.name] ?? null) !== canonicalJson(r.row[c.name] ?? null),
            )
            .map((c) => ({
              column: c.name,
              live: l.row[c.name] ?? null,
              replay: r.row[c.name] ?? null,
            })),
        });
      }
    }
    for (const [key, r] of replay.byKey) {
      if (live.byKey.has(key)) continue;
      onlyReplay += 1;
      note(r.row, {
        kind: 'only-replay',
        key: keyObject(r.row),
        columns: spec.columns.map((c) => ({
          column: c.name,
          live: null,
          replay: r.row[c.name] ?? null,
        })),
      });
    }
  }
  differences.sort((a, b) => compareKeys(a.key, b.key));
  return {
    table,
    equal: live.sha256 === replay.sha256,
    live: summary(live),
    replay: summary(replay),
    changed,
    onlyLive,
    onlyReplay,
    sample: differences.slice(0, sampleSize).map((d) => d.diff),
  };
}
