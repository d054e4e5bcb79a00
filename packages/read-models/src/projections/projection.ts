// What a projection is: a pure function from one recorded event (and a read-only view of the rows
// so far) to the rows it changes. No I/O: the live projector and the auditor's replay both drive it.
import type { RecordedEvent } from '@hpe/domain';
import type { z } from 'zod';
import type { ReferenceModel } from './reference-model.js';
import type { TableName, Tables } from './tables.js';

/** Rows as they stand before the event (earlier events of the same batch included). */
export interface ProjectionView {
  get<T extends TableName>(table: T, key: string): Tables[T] | undefined;
  /** The rows of one group (see TableSpec.group), in no particular order. */
  group<T extends TableName>(table: T, group: string): readonly Tables[T][];
}

/** The new version of one row (insert or replace); projections never delete. */
export type RowChange = {
  [T in TableName]: { readonly table: T; readonly row: Tables[T] };
}[TableName];

export function change<T extends TableName>(table: T, row: Tables[T]): RowChange {
  return { table, row } as RowChange;
}

export interface Projection {
  readonly name: string;
  /** The event types it reads; every other event passes it by. */
  readonly handles: ReadonlySet<string>;
  /** The tables it owns: no other projection writes them, so it can be rebuilt alone. */
  readonly tables: readonly TableName[];
  /** The rows it holds before the first event (position 0), from reference data. */
  seed(reference: ReferenceModel): readonly RowChange[];
  project(
    event: RecordedEvent,
    view: ProjectionView,
    reference: ReferenceModel,
  ): readonly RowChange[];
}

// Several projections read the same event one after another: check it against its schema once.
// One entry is enough (and keeps nothing alive, unlike a WeakMap the collector must trace).
let lastChecked: { event: RecordedEvent; schema: unknown; data: unknown } | undefined;

/** The event's data, checked against its domain schema: a stored event that fails is a bug. */
export function eventData<S extends z.ZodType<{ type: string; data: unknown }>>(
  schema: S,
  event: RecordedEvent,
): z.infer<S>['data'] {
  const seen = lastChecked;
  if (seen !== undefined && seen.event === event && seen.schema === schema) {
    return seen.data as z.infer<S>['data'];
  }
  const parsed = schema.safeParse({ type: event.type, data: event.data });
  if (!parsed.success) {
    throw new Error(
      `event ${event.eventId} (${event.type}, position ${event.position}) does not match its schema: ${parsed.error.message}`,
    );
  }
  lastChecked = { event, schema, data: parsed.data.data };
  return parsed.data.data;
}

/** `PA-10507-001-0042` → `PA-10507-001`: the list a card belongs to is printed in its number. */
export function areaOfCard(cardNumber: string): string {
  return cardNumber.split('-').slice(0, 3).join('-');
}
