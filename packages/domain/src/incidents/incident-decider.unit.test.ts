// Given / when / then for the incident decider: report → acknowledge → assign → notes → resolve →
// reopen, and every illegal transition refused with its code.
import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../decider-spec.test-support.js';
import { foldEvents } from '../decider.js';
import type { IncidentCommand } from './incident-commands.js';
import type { IncidentAction, IncidentStatus } from './incident-decider.js';
import {
  incidentDecider,
  incidentStatuses,
  incidentStreamId,
  legalFrom,
} from './incident-decider.js';
import type { IncidentEvent } from './incident-events.js';

const incidentId = 'inc-0195-0001';
const now = new Date('2026-03-15T10:00:00+07:00');
const spec = deciderSpec(incidentDecider, { now });

const reportData = {
  incidentId,
  pollingAreaId: 'PA-10507-001',
  communeId: '10507',
  category: 'power_or_network',
  severity: 'medium',
  description: 'Mất điện tại khu vực bỏ phiếu; the team is counting by lamplight',
  occurredAt: '2026-03-15T09:40:00+07:00',
} as const;

const reportIncident: IncidentCommand = { type: 'ReportIncident', data: reportData };
const acknowledge: IncidentCommand = { type: 'AcknowledgeIncident', data: { incidentId } };
const assign = (unit: string): IncidentCommand => ({
  type: 'AssignIncident',
  data: { incidentId, unit },
});
const note: IncidentCommand = {
  type: 'AddIncidentNote',
  data: { incidentId, text: 'generator on its way' },
};
const resolve: IncidentCommand = {
  type: 'ResolveIncident',
  data: { incidentId, resolution: 'power restored at 10:20' },
};
const reopen: IncidentCommand = {
  type: 'ReopenIncident',
  data: { incidentId, reason: 'power lost again' },
};

const reported: IncidentEvent = { type: 'IncidentReported', data: reportData };
const acknowledged: IncidentEvent = { type: 'IncidentAcknowledged', data: { incidentId } };
const assigned = (unit: string, previousUnit: string | null = null): IncidentEvent => ({
  type: 'IncidentAssigned',
  data: { incidentId, unit, previousUnit },
});
const resolved: IncidentEvent = {
  type: 'IncidentResolved',
  data: { incidentId, resolution: 'power restored at 10:20' },
};
const reopened: IncidentEvent = {
  type: 'IncidentReopened',
  data: { incidentId, reason: 'power lost again' },
};

/** A history that leaves the incident in each status. */
const histories: Record<IncidentStatus, IncidentEvent[]> = {
  reported: [reported],
  acknowledged: [reported, acknowledged],
  assigned: [reported, acknowledged, assigned('Công an phường Hồng Bàng')],
  resolved: [reported, acknowledged, resolved],
  reopened: [reported, acknowledged, resolved, reopened],
};

const commands: Record<IncidentAction, IncidentCommand> = {
  acknowledge,
  assign: assign('Đội cơ động'),
  resolve,
  reopen,
};

describe('incident lifecycle', () => {
  it('an incident is reported at a polling area', () => {
    spec.given([]).when(reportIncident).then([reported]);
  });

  it('an incident is reported once', () => {
    spec.given([reported]).when(reportIncident).thenRejected('INCIDENT.ALREADY_REPORTED');
  });

  it('an incident cannot be reported as happening in the future', () => {
    spec
      .given([])
      .when({ ...reportIncident, data: { ...reportData, occurredAt: '2026-03-15T10:05:01+07:00' } })
      .thenRejected('INCIDENT.TIME_IN_FUTURE');
    spec
      .given([])
      .when({ ...reportIncident, data: { ...reportData, occurredAt: '2026-03-15T10:05:00+07:00' } })
      .then([{ ...reported, data: { ...reportData, occurredAt: '2026-03-15T10:05:00+07:00' } }]);
  });

  it('triage of an unknown incident is not found', () => {
    for (const command of [acknowledge, assign('x'), note, resolve, reopen])
      spec.given([]).when(command).thenRejected('INCIDENT.NOT_FOUND', { incidentId });
  });

  it('a reported incident is acknowledged, assigned to a unit, resolved and reopened', () => {
    spec.given([reported]).when(acknowledge).then([acknowledged]);
    spec
      .given([reported, acknowledged])
      .when(assign('Công an phường Hồng Bàng'))
      .then([assigned('Công an phường Hồng Bàng')]);
    spec.given(histories.assigned).when(resolve).then([resolved]);
    spec.given(histories.resolved).when(reopen).then([reopened]);
  });

  it('an acknowledged incident may be resolved without sending anyone', () => {
    spec.given(histories.acknowledged).when(resolve).then([resolved]);
  });

  it('a reopened incident is acknowledged or assigned again before it is resolved again', () => {
    spec.given(histories.reopened).when(acknowledge).then([acknowledged]);
    spec
      .given(histories.reopened)
      .when(assign('Đội cơ động'))
      .then([assigned('Đội cơ động')]);
    spec
      .given(histories.reopened)
      .when(resolve)
      .thenRejected('INCIDENT.ILLEGAL_TRANSITION', { from: 'reopened', action: 'resolve' });
  });

  it('an assigned incident may be handed to another unit, naming the one before', () => {
    spec
      .given(histories.assigned)
      .when(assign('Đội cơ động'))
      .then([assigned('Đội cơ động', 'Công an phường Hồng Bàng')]);
  });

  it('assigning to the unit that already has it is refused', () => {
    spec
      .given(histories.assigned)
      .when(assign('Công an phường Hồng Bàng'))
      .thenRejected('INCIDENT.ALREADY_ASSIGNED', { unit: 'Công an phường Hồng Bàng' });
  });

  it('a note may be added in any status', () => {
    for (const status of incidentStatuses)
      spec
        .given(histories[status])
        .when(note)
        .then([{ type: 'IncidentNoteAdded', data: { incidentId, text: 'generator on its way' } }]);
  });

  it('an illegal transition is refused with its code, naming the status and the action', () => {
    let refusals = 0;
    for (const status of incidentStatuses)
      for (const action of Object.keys(commands) as IncidentAction[]) {
        const when = spec.given(histories[status]).when(commands[action]);
        if (legalFrom[action].includes(status)) continue;
        when.thenRejected('INCIDENT.ILLEGAL_TRANSITION', { from: status, action });
        refusals += 1;
      }
    // reported: assign, resolve, reopen; acknowledged: acknowledge, reopen; assigned: acknowledge,
    // reopen; resolved: acknowledge, assign, resolve; reopened: resolve, reopen.
    expect(refusals).toBe(12);
  });

  it('a resolved incident cannot be resolved twice nor reopened twice', () => {
    spec.given(histories.resolved).when(resolve).thenRejected('INCIDENT.ILLEGAL_TRANSITION');
    spec.given(histories.reopened).when(reopen).thenRejected('INCIDENT.ILLEGAL_TRANSITION');
  });
});

describe('incident state', () => {
  it('keeps the unit through resolve and reopen', () => {
    const state = foldEvents(incidentDecider, [...histories.assigned, resolved, reopened]);
    expect(state).toEqual({
      status: 'reopened',
      incidentId,
      pollingAreaId: 'PA-10507-001',
      communeId: '10507',
      severity: 'medium',
      unit: 'Công an phường Hồng Bàng',
    });
  });

  it('throws on a history that does not start with the report', () => {
    expect(() => foldEvents(incidentDecider, [acknowledged])).toThrow(/unknown incident/);
  });

  it('treats a command for another incident than its stream as a bug', () => {
    expect(() =>
      incidentDecider.decide(
        { type: 'AcknowledgeIncident', data: { incidentId: 'inc-other' } },
        foldEvents(incidentDecider, [reported]),
        { now },
      ),
    ).toThrow(/stream of inc-0195-0001/);
  });

  it('names its stream after the incident', () => {
    expect(incidentStreamId(incidentId)).toBe('incident-inc-0195-0001');
  });
});
