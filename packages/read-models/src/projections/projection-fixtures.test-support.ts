// A tiny city for the projections' tests (two communes, three areas, one unit per level) and a
// builder of recorded events with consecutive positions.
import type { RecordedEvent } from '@hpe/domain';
import { ProjectionEngine } from './projection-engine.js';
import type { Projection } from './projection.js';
import { buildReferenceModel, type ReferenceModel } from './reference-model.js';

export const reference: ReferenceModel = buildReferenceModel({
  communeIds: ['10001', '10002'],
  areas: [
    {
      pollingAreaId: 'PA-10001-001',
      communeId: '10001',
      votersOnList: 1000,
      naUnitId: 'NA-1',
      cityUnitId: 'CT-1',
      communeUnitId: 'CM-1',
    },
    {
      pollingAreaId: 'PA-10001-002',
      communeId: '10001',
      votersOnList: 500,
      naUnitId: 'NA-1',
      cityUnitId: 'CT-1',
      communeUnitId: 'CM-1',
    },
    {
      pollingAreaId: 'PA-10002-001',
      communeId: '10002',
      votersOnList: 800,
      naUnitId: 'NA-1',
      cityUnitId: 'CT-1',
      communeUnitId: 'CM-2',
    },
  ],
  units: [
    { unitId: 'NA-1', level: 'na', seats: 2 },
    { unitId: 'CT-1', level: 'city', seats: 3 },
    { unitId: 'CM-1', level: 'commune', seats: 3 },
    { unitId: 'CM-2', level: 'commune', seats: 3 },
  ],
  candidates: [
    { candidateId: 'C-A', unitId: 'NA-1', birthDate: '1970-01-01' },
    { candidateId: 'C-B', unitId: 'NA-1', birthDate: '1980-01-01' },
    { candidateId: 'C-C', unitId: 'NA-1', birthDate: '1990-01-01' },
  ],
});

const hash = 'a'.repeat(64);

/** Builds events with positions 1, 2, 3, … in the order they are made. */
export function eventLog() {
  const events: RecordedEvent[] = [];
  const add = (streamId: string, type: string, data: Record<string, unknown>): RecordedEvent => {
    const position = events.length + 1;
    const event: RecordedEvent = {
      eventId: `0193a7c0-0000-7000-8000-${String(position).padStart(12, '0')}`,
      type,
      schemaVersion: 1,
      streamId,
      data,
      metadata: {
        occurredAt: '2026-03-15T08:00:00+07:00',
        actor: { id: 'tester', role: 'admin' },
        correlationId: 'test',
      },
      position,
      streamRevision: 0,
      recordedAt: `2026-03-15T01:00:${String(position % 60).padStart(2, '0')}.000Z`,
      prevHash: hash,
      hash,
    };
    events.push(event);
    return event;
  };
  return { events, add };
}

export function run(projection: Projection, events: readonly RecordedEvent[]): ProjectionEngine {
  const engine = new ProjectionEngine([projection], reference);
  engine.seed();
  engine.apply(events);
  return engine;
}

/** Vietnam time on election day. */
export const vn = (hhmm: string): string => `2026-03-15T${hhmm}:00+07:00`;
export const utc = (hhmm: string): string => new Date(vn(hhmm)).toISOString();
