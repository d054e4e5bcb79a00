// The election day's schedule events and the deterministic ids behind anomalies and schedules.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NewEvent } from '../event-envelope.js';
import { deterministicUuidV7 } from './deterministic-id.js';
import { electionSchedule, ScheduleConfig, ScheduleEvent } from './schedule.js';

describe('deterministic ids', () => {
  it('are lower-case UUIDv7-shaped, stable, differ with any part, and hash with SHA-256', () => {
    const digest = createHash('sha256').update('anomaly|card_reused|x', 'utf8').digest('hex');
    expect(
      deterministicUuidV7(['anomaly', 'card_reused', 'x']).replaceAll('-', '').slice(12, 16),
    ).toBe(`7${digest.slice(13, 16)}`);
    const id = deterministicUuidV7(['anomaly', 'card_reused', 'x']);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuidV7(['anomaly', 'card_reused', 'x'])).toBe(id);
    expect(deterministicUuidV7(['anomaly', 'card_reused', 'y'])).not.toBe(id);
  });
});

describe('the election schedule', () => {
  it('closes five reporting rounds and the minutes deadline on the election date, in order', () => {
    const schedule = electionSchedule('2026-03-15', ScheduleConfig.parse({}));
    expect(schedule.map((s) => s.at)).toEqual([
      '2026-03-15T09:00:00+07:00',
      '2026-03-15T11:00:00+07:00',
      '2026-03-15T14:00:00+07:00',
      '2026-03-15T16:00:00+07:00',
      '2026-03-15T19:00:00+07:00',
      '2026-03-15T23:00:00+07:00',
    ]);
    for (const s of schedule) {
      expect(ScheduleEvent.safeParse(s.event).success).toBe(true);
      expect(s.streamId).toBe('schedule-2026-03-15');
      const envelope = {
        eventId: s.eventId,
        type: s.event.type,
        schemaVersion: 1,
        streamId: s.streamId,
        data: s.event.data,
        metadata: {
          occurredAt: s.at,
          actor: { id: 'schedule', role: 'system' },
          correlationId: 'schedule',
        },
      };
      expect(NewEvent.safeParse(envelope).success).toBe(true);
    }
  });

  it('gives the same ids on every call and other ids on another date (Bạch Long Vĩ votes on the 14th)', () => {
    const config = ScheduleConfig.parse({});
    const ids = electionSchedule('2026-03-15', config).map((s) => s.eventId);
    expect(electionSchedule('2026-03-15', config).map((s) => s.eventId)).toEqual(ids);
    const early = electionSchedule('2026-03-14', config).map((s) => s.eventId);
    expect(early.filter((id) => ids.includes(id))).toEqual([]);
  });

  it('refuses rounds out of order and malformed times', () => {
    expect(ScheduleConfig.safeParse({ reportingRounds: ['11:00', '09:00'] }).success).toBe(false);
    expect(ScheduleConfig.safeParse({ reportingRounds: ['9:00'] }).success).toBe(false);
    expect(ScheduleConfig.safeParse({ minutesDeadline: '24:00' }).success).toBe(false);
  });
});
