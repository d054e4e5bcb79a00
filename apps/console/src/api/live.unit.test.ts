// Which queries a committed event refreshes, and how the live messages are read.
import { describe, expect, it } from 'vitest';
import { affectedBy, parseCommitted, parsePosition } from './live.js';

describe('live feed', () => {
  it('refreshes turnout views on turnout events and results on tally events', () => {
    expect(affectedBy('turnout-pa-0001')).toContain('overview');
    expect(affectedBy('turnout-pa-0001')).toContain('timeline');
    expect(affectedBy('turnout-pa-0001')).not.toContain('results');
    expect(affectedBy('tally-pa-0001-na')).toContain('results');
    expect(affectedBy('incident-x')).toEqual(['overview', 'communes', 'incidents', 'events']);
    expect(affectedBy('anomaly-x')).toContain('anomalies');
    expect(affectedBy('ledger-checkpoint')).toEqual(['events']);
  });

  it('reads a committed message and ignores a malformed one', () => {
    expect(
      parseCommitted(
        '{"position":7,"type":"TurnoutReported","streamId":"turnout-a","eventId":"e"}',
      ),
    ).toEqual({ position: 7, type: 'TurnoutReported', streamId: 'turnout-a' });
    expect(parseCommitted('{"position":"7","streamId":"turnout-a"}')).toBeUndefined();
    expect(parseCommitted('not json')).toBeUndefined();
  });

  it('reads how far the read models have got from a projected or heartbeat message', () => {
    expect(parsePosition('{"position":42}')).toBe(42);
    expect(parsePosition('{"position":"42"}')).toBeUndefined();
    expect(parsePosition('')).toBeUndefined();
  });
});
