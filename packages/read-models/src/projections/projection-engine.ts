// Runs projections over events in memory: holds the rows of the tables they own, gives each
// projection a read-only view, applies its changes and remembers which rows changed since the last
// write. The read models are small (thousands of rows), so they live in memory whole and a batch
// writes each changed row once, however many events touched it.
import type { RecordedEvent } from '@hpe/domain';
import type { Projection, ProjectionView, RowChange } from './projection.js';
import type { ReferenceModel } from './reference-model.js';
import { rowKey, tableSpecs, type TableName, type Tables } from './tables.js';

class TableStore<T extends TableName> {
  readonly rows = new Map<string, Tables[T]>();
  readonly groups = new Map<string, Map<string, Tables[T]>>();
  dirty = new Map<string, Tables[T]>();

  constructor(readonly table: T) {}

  put(row: Tables[T], markDirty: boolean): void {
    const key = rowKey(this.table, row);
    this.rows.set(key, row);
    if (markDirty) this.dirty.set(key, row);
    const groupOf = tableSpecs[this.table].group;
    if (groupOf !== undefined) {
      const g = groupOf(row);
      let members = this.groups.get(g);
      if (members === undefined) {
        members = new Map();
        this.groups.set(g, members);
      }
      members.set(key, row);
    }
  }

  clear(): void {
    this.rows.clear();
    this.groups.clear();
    this.dirty = new Map();
  }
}

export type DirtyRows = { readonly [T in TableName]?: readonly Tables[T][] };

export class ProjectionEngine implements ProjectionView {
  private readonly stores = new Map<TableName, TableStore<TableName>>();
  private readonly byType = new Map<string, Projection[]>();
  private lastPosition = 0;

  constructor(
    readonly projections: readonly Projection[],
    readonly reference: ReferenceModel,
  ) {
    for (const p of projections) {
      for (const table of p.tables) {
        if (this.stores.has(table)) throw new Error(`table ${table} is owned by two projections`);
        this.stores.set(table, new TableStore(table));
      }
      for (const type of p.handles) {
        const list = this.byType.get(type) ?? [];
        list.push(p);
        this.byType.set(type, list);
      }
    }
  }

  get names(): string[] {
    return this.projections.map((p) => p.name);
  }

  get tables(): TableName[] {
    return [...this.stores.keys()];
  }

  /** The position of the last event applied (or loaded with). */
  get position(): number {
    return this.lastPosition;
  }

  get<T extends TableName>(table: T, key: string): Tables[T] | undefined {
    return this.store(table).rows.get(key);
  }

  group<T extends TableName>(table: T, group: string): readonly Tables[T][] {
    const members = this.store(table).groups.get(group);
    return members === undefined ? [] : [...members.values()];
  }

  /** Every row of a table, in key order (for digests and tests). */
  rows<T extends TableName>(table: T): Tables[T][] {
    const store = this.store(table);
    return [...store.rows.keys()].sort().map((k) => store.rows.get(k) as Tables[T]);
  }

  /** Replaces the state with rows read from a database at `position`; nothing is dirty. */
  load(position: number, rows: DirtyRows): void {
    for (const store of this.stores.values()) store.clear();
    for (const [table, list] of Object.entries(rows) as [TableName, Tables[TableName][]][]) {
      const store = this.stores.get(table);
      if (store === undefined) continue;
      for (const row of list) store.put(row, false);
    }
    this.lastPosition = position;
  }

  /** Empties the state and puts the projections' position-0 rows in, all dirty. */
  seed(): void {
    for (const store of this.stores.values()) store.clear();
    for (const p of this.projections) this.applyChanges(p.seed(this.reference));
    this.lastPosition = 0;
  }

  /** Applies events in position order. Each must follow the last one applied. */
  apply(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      if (event.position !== this.lastPosition + 1) {
        throw new Error(
          `event at position ${event.position} does not follow position ${this.lastPosition}`,
        );
      }
      const projections = this.byType.get(event.type);
      if (projections !== undefined) {
        for (const p of projections) this.applyChanges(p.project(event, this, this.reference));
      }
      this.lastPosition = event.position;
    }
  }

  /** The rows changed since the last call, per table; the engine forgets them as dirty. */
  takeDirty(): DirtyRows {
    const out: Record<string, unknown[]> = {};
    for (const [table, store] of this.stores) {
      if (store.dirty.size === 0) continue;
      out[table] = [...store.dirty.values()];
      store.dirty = new Map();
    }
    return out as DirtyRows;
  }

  private applyChanges(changes: readonly RowChange[]): void {
    for (const c of changes) this.store(c.table).put(c.row, true);
  }

  private store<T extends TableName>(table: T): TableStore<T> {
    const store = this.stores.get(table);
    if (store === undefined) throw new Error(`no projection here owns table ${table}`);
    return store as unknown as TableStore<T>;
  }
}
