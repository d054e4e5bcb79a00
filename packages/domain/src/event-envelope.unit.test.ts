import { describe, expect, it } from 'vitest';
import { NewEvent, StreamId, streamCategory } from './event-envelope.js';

const valid = {
  eventId: '01950000-0000-7000-8000-000000000001',
  type: 'PollingAreaOpened',
  schemaVersion: 1,
  streamId: 'turnout-PA-10507-001',
  data: { at: '2026-03-15T07:00:00+07:00' },
  metadata: {
    occurredAt: '2026-03-15T07:00:00+07:00',
    actor: { id: 'pa-PA-10507-001', role: 'reporter' },
    correlationId: 'c-1',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  },
};

describe('event envelope', () => {
  it('accepts a well-formed event', () => {
    expect(NewEvent.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['an id that is not UUIDv7', { eventId: '01950000-0000-4000-8000-000000000001' }],
    ['a lower-case type', { type: 'pollingAreaOpened' }],
    ['an unknown stream category', { streamId: 'ballot-1' }],
    ['a stream id with a dot (would split a NATS subject)', { streamId: 'turnout-PA.1' }],
    ['a fractional schema version', { schemaVersion: 1.5 }],
    ['data that is not an object', { data: [1, 2] }],
    ['an extra top-level field', { position: 7 }],
  ])('refuses %s', (_, patch) => {
    expect(NewEvent.safeParse({ ...valid, ...patch }).success).toBe(false);
  });

  it('refuses a time without an offset and an unknown role', () => {
    expect(
      NewEvent.safeParse({
        ...valid,
        metadata: { ...valid.metadata, occurredAt: '2026-03-15T07:00:00' },
      }).success,
    ).toBe(false);
    expect(
      NewEvent.safeParse({
        ...valid,
        metadata: { ...valid.metadata, actor: { id: 'x', role: 'mayor' } },
      }).success,
    ).toBe(false);
  });

  it('reads the category of a stream id', () => {
    expect(streamCategory(StreamId.parse('tally-PA-10507-001-na'))).toBe('tally');
    expect(streamCategory(StreamId.parse('voter-abc'))).toBe('voter');
  });
});
