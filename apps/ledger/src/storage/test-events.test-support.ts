// Well-formed NewEvents for storage tests and benchmarks: a fresh UUIDv7 each, realistic metadata,
// small data. Tests then break them on purpose to see the store refuse them.
import type { NewEvent } from '@hpe/domain';
import { v7 as uuidv7 } from 'uuid';

export function newTestEvent(
  streamId: string,
  data: Record<string, unknown> = { note: 'test' },
  overrides: Partial<NewEvent> = {},
): NewEvent {
  return {
    eventId: uuidv7(),
    type: 'IncidentReported',
    schemaVersion: 1,
    streamId,
    data,
    metadata: {
      occurredAt: '2026-03-15T09:30:00+07:00',
      actor: { id: 'reporter-7', role: 'reporter' },
      correlationId: 'corr-1',
    },
    ...overrides,
  };
}

export function newTestEvents(streamId: string, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newTestEvent(streamId, { n: i }));
}

/** A stream id no other test uses, so tests can share one database. */
export function uniqueStreamId(category = 'incident'): string {
  return `${category}-${uuidv7().replaceAll('-', '')}`;
}
