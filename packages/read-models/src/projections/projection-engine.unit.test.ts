import { describe, expect, it } from 'vitest';
import { allProjections } from './index.js';
import { ProjectionEngine } from './projection-engine.js';
import { eventLog, reference, vn } from './projection-fixtures.test-support.js';
import { progressProjection } from './progress-projection.js';

describe('ProjectionEngine', () => {
  it('refuses an event that does not follow the last position', () => {
    const { events, add } = eventLog();
    add('turnout-PA-10001-001', 'PollingAreaOpened', {
      pollingAreaId: 'PA-10001-001',
      at: vn('07:00'),
    });
    add('turnout-PA-10001-002', 'PollingAreaOpened', {
      pollingAreaId: 'PA-10001-002',
      at: vn('07:00'),
    });
    const engine = new ProjectionEngine(allProjections, reference);
    engine.seed();
    expect(() => engine.apply(events.slice(1))).toThrow(/position 2 does not follow position 0/);
  });

  it('hands out each changed row once per batch, in its latest version', () => {
    const { events, add } = eventLog();
    for (let i = 0; i < 5; i++)
      add(`voter-${i}`, 'VoterCheckedIn', {
        cardNumber: `PA-10001-001-000${i}`,
        pollingAreaId: 'PA-10001-001',
        at: vn('07:00'),
        ballots: ['na', 'city', 'commune'],
      });
    const engine = new ProjectionEngine([progressProjection], reference);
    engine.seed();
    expect(engine.takeDirty().polling_area_status).toHaveLength(3);
    engine.apply(events);
    const dirty = engine.takeDirty();
    expect(dirty.polling_area_status).toEqual([
      expect.objectContaining({ check_ins: 5, position: 5 }),
    ]);
    expect(dirty.commune_progress).toHaveLength(1);
    expect(dirty.city_overview).toEqual([expect.objectContaining({ check_ins: 5 })]);
    expect(engine.takeDirty()).toEqual({});
  });

  it('skips event types no projection handles', () => {
    const { events, add } = eventLog();
    add('ledger-checkpoints', 'LedgerCheckpointSigned', { head: 'x' });
    const engine = new ProjectionEngine(allProjections, reference);
    engine.seed();
    engine.takeDirty();
    engine.apply(events);
    expect(engine.position).toBe(1);
    expect(engine.takeDirty()).toEqual({});
  });
});
