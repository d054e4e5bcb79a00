import { describe, expect, it } from 'vitest';
import { eventLog, run, utc, vn } from './projection-fixtures.test-support.js';
import { progressProjection } from './progress-projection.js';

const minute = {
  votersOnList: 1000,
  votersVoted: 990,
  ballotsIssued: 990,
  ballotsReceived: 990,
  validBallots: 980,
  invalidBallots: 10,
  votes: { 'C-A': 700, 'C-B': 600, 'C-C': 200 },
  complaints: { received: 0, resolved: 0, forwarded: 0 },
};

describe('progress projection', () => {
  it('seeds every area, commune and the city at position 0 from reference data', () => {
    const engine = run(progressProjection, []);
    expect(engine.rows('polling_area_status')).toHaveLength(3);
    expect(engine.get('city_overview', '1')).toEqual({
      id: 1,
      voters_on_list: 2300,
      voters_voted: 0,
      check_ins: 0,
      polling_areas_total: 3,
      polling_areas_opened: 0,
      polling_areas_reported: 0,
      polling_areas_closed: 0,
      minutes_expected: 9,
      minutes_received: 0,
      position: 0,
    });
    expect(engine.get('commune_progress', '10001')).toMatchObject({
      voters_on_list: 1500,
      polling_areas_total: 2,
      minutes_expected: 6,
    });
  });

  it('follows an area through the day and adds it up into its commune and the city', () => {
    const { events, add } = eventLog();
    const area = 'PA-10001-001';
    add(`turnout-${area}`, 'PollingAreaOpened', { pollingAreaId: area, at: vn('06:55') });
    add(`voter-k1`, 'VoterCheckedIn', {
      cardNumber: `${area}-0001`,
      pollingAreaId: area,
      at: vn('07:01'),
      ballots: ['na', 'city', 'commune'],
    });
    add(`voter-k2`, 'VoterCheckedIn', {
      cardNumber: `${area}-0002`,
      pollingAreaId: area,
      at: vn('07:02'),
      ballots: ['na', 'city', 'commune'],
    });
    add(`turnout-${area}`, 'TurnoutReported', {
      pollingAreaId: area,
      asOf: vn('09:00'),
      votersVoted: 400,
    });
    add(`turnout-${area}`, 'TurnoutReported', {
      pollingAreaId: area,
      asOf: vn('11:00'),
      votersVoted: 700,
    });
    add(`voter-k3`, 'CheckInRefused', {
      cardNumber: `${area}-0001`,
      reason: 'CARD_ALREADY_USED',
      pollingAreaId: area,
      attemptedAt: vn('11:05'),
      listedPollingAreaId: area,
    });
    add(`turnout-${area}`, 'PollingAreaClosed', {
      pollingAreaId: area,
      at: vn('19:00'),
      votersVoted: 990,
    });
    add(`tally-${area}-na`, 'CountingMinuteSubmitted', {
      pollingAreaId: area,
      level: 'na',
      unitId: 'NA-1',
      minute,
      by: 'team',
      version: 1,
      submittedAt: vn('20:00'),
    });
    add(`tally-${area}-na`, 'CountingMinuteCorrected', {
      pollingAreaId: area,
      level: 'na',
      unitId: 'NA-1',
      minute: { ...minute, invalidBallots: 10 },
      by: 'commune',
      version: 2,
      supersedesVersion: 1,
      correctedAt: vn('20:30'),
      reason: 'typo',
    });
    const engine = run(progressProjection, events);
    expect(engine.get('polling_area_status', area)).toEqual({
      polling_area_id: area,
      commune_id: '10001',
      voters_on_list: 1000,
      status: 'closed',
      opened_at: utc('06:55'),
      closed_at: utc('19:00'),
      last_report_as_of: utc('11:00'),
      voters_voted: 990,
      turnout_reports: 2,
      check_ins: 2,
      check_ins_refused: 1,
      minute_version_na: 2,
      minute_version_city: 0,
      minute_version_commune: 0,
      position: 9,
    });
    expect(engine.get('commune_progress', '10001')).toMatchObject({
      voters_voted: 990,
      check_ins: 2,
      polling_areas_opened: 1,
      polling_areas_reported: 1,
      polling_areas_closed: 1,
      minutes_received: 1,
      position: 9,
    });
    expect(engine.get('commune_progress', '10002')).toMatchObject({ voters_voted: 0, position: 0 });
    expect(engine.get('city_overview', '1')).toMatchObject({
      voters_on_list: 2300,
      voters_voted: 990,
      check_ins: 2,
      polling_areas_reported: 1,
      minutes_received: 1,
      position: 9,
    });
  });

  it('moves the lists with VoterListAdjusted', () => {
    const { events, add } = eventLog();
    add('turnout-PA-10002-001', 'VoterListAdjusted', {
      pollingAreaId: 'PA-10002-001',
      change: 'transferred_in',
      count: 5,
      votersOnList: 805,
    });
    const engine = run(progressProjection, events);
    expect(engine.get('commune_progress', '10002')).toMatchObject({
      voters_on_list: 805,
      position: 1,
    });
    expect(engine.get('city_overview', '1')).toMatchObject({ voters_on_list: 2305 });
  });

  it('refuses an event whose data does not match its schema', () => {
    const { events, add } = eventLog();
    add('turnout-PA-10001-001', 'TurnoutReported', {
      pollingAreaId: 'PA-10001-001',
      votersVoted: -1,
    });
    expect(() => run(progressProjection, events)).toThrow(/does not match its schema/);
  });
});
