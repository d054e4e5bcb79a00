// Drives the projections over a stream of recorded events outside the live projector: into a
// schema of its own (the auditor's replay, the benchmark), or in memory and then swapped into the
// live tables in one transaction (a rebuild that never stops the gateway).
import type { RecordedEvent } from '@hpe/domain';
import type pg from 'pg';
import { ProjectionEngine, type DirtyRows } from './projection-engine.js';
import type { Projection } from './projection.js';
import {
  createReadModelSchema,
  ensureCheckpoints,
  liveSchema,
  quoteIdent,
  writeRows,
} from './read-model-store.js';
import type { ReferenceModel } from './reference-model.js';
import type { TableName } from './tables.js';

/** Where a replay reads: pages of events in position order from `from` to `to` inclusive. */
export type EventPages = (from: number, to: number) => AsyncIterable<readonly RecordedEvent[]>;

export interface ReplayOptions {
  /** Rows are written after this many events (and at the end); 100,000 by default. */
  readonly flushEvery?: number;
}

/** Replays into `schema` (created or emptied first): the auditor's replay and the benchmark. */
export class SchemaReplay {
  readonly engine: ProjectionEngine;
  private sinceFlush = 0;
  private readonly flushEvery: number;

  constructor(
    private readonly db: pg.ClientBase,
    readonly schema: string,
    projections: readonly Projection[],
    reference: ReferenceModel,
    options: ReplayOptions = {},
  ) {
    this.engine = new ProjectionEngine(projections, reference);
    this.flushEvery = options.flushEvery ?? 100_000;
  }

  async begin(): Promise<void> {
    await createReadModelSchema(this.db, this.schema, this.engine.tables, { replace: true });
    await ensureCheckpoints(this.db, this.schema, this.engine.names);
    this.engine.seed();
  }

  async push(events: readonly RecordedEvent[]): Promise<void> {
    this.engine.apply(events);
    this.sinceFlush += events.length;
    if (this.sinceFlush >= this.flushEvery) await this.flush();
  }

  /** Writes what changed and the position reached, in one transaction. */
  async flush(): Promise<void> {
    this.sinceFlush = 0;
    const rows = this.engine.takeDirty();
    await this.db.query('BEGIN');
    try {
      await writeRows(this.db, this.schema, rows);
      await this.db.query(
        `UPDATE ${quoteIdent(this.schema)}.projection_checkpoint SET position = $2, updated_at = now() WHERE name = ANY($1::text[])`,
        [this.engine.names, this.engine.position],
      );
      await this.db.query('COMMIT');
    } catch (error) {
      await this.db.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}

export interface RebuildReport {
  readonly projections: readonly string[];
  readonly tables: readonly TableName[];
  /** The position the rebuilt tables reflect (the live checkpoint at the swap). */
  readonly position: number;
  readonly events: number;
  readonly rows: number;
}

/**
 * Rebuilds projections from the log without stopping readers: replays in memory up to where the
 * live projector stands (its furthest checkpoint; so a projection added later starts here too), then in one transaction locks the checkpoint rows (the live projector's
 * next compare-and-set waits), replays the few events it applied meanwhile, replaces the tables'
 * rows (DELETE + INSERT: readers keep seeing the old rows until commit, never an empty table) and
 * raises the checkpoints' generation so the live projector reloads its state.
 */
export async function rebuildLive(options: {
  readonly db: pg.ClientBase;
  readonly projections: readonly Projection[];
  readonly reference: ReferenceModel;
  readonly pages: EventPages;
}): Promise<RebuildReport> {
  const { db, projections, reference, pages } = options;
  const engine = new ProjectionEngine(projections, reference);
  const names = engine.names;
  await ensureCheckpoints(db, liveSchema, names);
  // Where the live projector stands: the furthest checkpoint (a new projection starts at 0).
  const livePosition = async (lock: boolean): Promise<number> => {
    const { rows } = await db.query<{ position: string }>(
      `SELECT position FROM public.projection_checkpoint ORDER BY name ${lock ? 'FOR UPDATE' : ''}`,
    );
    return Math.max(0, ...rows.map((r) => Number(r.position)));
  };
  const target = await livePosition(false);
  engine.seed();
  let events = 0;
  const replay = async (from: number, to: number): Promise<void> => {
    if (to < from) return;
    for await (const page of pages(from, to)) {
      engine.apply(page);
      events += page.length;
    }
    if (engine.position !== to) {
      throw new Error(`the log ended at ${engine.position} before position ${to}`);
    }
  };
  await replay(1, target);

  await db.query('BEGIN');
  try {
    // Every checkpoint row locked: the live projector's next compare-and-set waits for the swap.
    const live = await livePosition(true);
    if (live < target) throw new Error(`the live checkpoint went back from ${target} to ${live}`);
    await replay(target + 1, live);
    engine.takeDirty();
    const all: Record<string, unknown[]> = {};
    for (const table of engine.tables) {
      await db.query(`DELETE FROM ${quoteIdent(liveSchema)}.${quoteIdent(table)}`);
      all[table] = engine.rows(table);
    }
    const rows = await writeRows(db, liveSchema, all as DirtyRows);
    await db.query(
      `UPDATE public.projection_checkpoint SET position = $2, generation = generation + 1, updated_at = now() WHERE name = ANY($1::text[])`,
      [names, live],
    );
    await db.query('COMMIT');
    return { projections: names, tables: engine.tables, position: live, events, rows };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
