// Every kind of command-service answer against the HTTP status and code it becomes, and the NATS
// failures (no responders, timeout) against 503 with Retry-After.
import { createLogger } from '@hpe/telemetry';
import { describe, expect, it } from 'vitest';
import { ProblemException } from '../problem.filter.js';
import { mapRequestFailure, mapCommandReply } from './command-reply-mapping.js';

const logger = createLogger({ name: 'test', level: 'silent' });

function problemOf(act: () => unknown): { status: number; code: string; extra: object } {
  try {
    act();
  } catch (error) {
    if (error instanceof ProblemException) {
      return { status: error.getStatus(), code: error.code, extra: error.extra };
    }
    throw error;
  }
  throw new Error('no problem raised');
}

const refusal = (code: string, details?: Record<string, unknown>) => ({
  ok: false,
  error: { code, message: `refused: ${code}`, ...(details ? { details } : {}) },
});

describe('mapCommandReply', () => {
  it('passes an accepted command through as {eventIds, position}', () => {
    const value = { eventIds: ['a', 'b'], position: 7 };
    expect(mapCommandReply({ ok: true, value }, logger, 'turnout.open')).toEqual(value);
  });

  it.each([
    ['TURNOUT.DECREASED', 422, 'TURNOUT.DECREASED'],
    ['TURNOUT.ABOVE_LIST', 422, 'TURNOUT.ABOVE_LIST'],
    ['POLLING.OUTSIDE_HOURS', 422, 'POLLING.OUTSIDE_HOURS'],
    ['POLLING.ALREADY_OPEN', 422, 'POLLING.ALREADY_OPEN'],
    ['POLLING.UNKNOWN_AREA', 404, 'NOT_FOUND'],
    ['POLLING.NOT_REGISTERED', 404, 'NOT_FOUND'],
    ['VALIDATION_FAILED', 400, 'VALIDATION_FAILED'],
    ['STALE_REVISION', 409, 'STALE_REVISION'],
    ['LEDGER_UNAVAILABLE', 503, 'UNAVAILABLE'],
    ['INTERNAL_ERROR', 502, 'BAD_GATEWAY'],
    ['SOMETHING_NEW', 502, 'BAD_GATEWAY'],
  ])('maps %s to %i %s', (code, status, mapped) => {
    expect(problemOf(() => mapCommandReply(refusal(code), logger, 's'))).toMatchObject({
      status,
      code: mapped,
    });
  });

  it('keeps the issues of VALIDATION_FAILED as errors', () => {
    const issues = [{ path: 'votersVoted', message: 'too small' }];
    expect(
      problemOf(() => mapCommandReply(refusal('VALIDATION_FAILED', { issues }), logger, 's')).extra,
    ).toEqual({ errors: issues });
  });

  it('asks for a retry after LEDGER_UNAVAILABLE', () => {
    expect(
      problemOf(() => mapCommandReply(refusal('LEDGER_UNAVAILABLE'), logger, 's')).extra,
    ).toEqual({ headers: { 'retry-after': '2' } });
  });

  it.each([
    [null],
    [undefined],
    [{ ok: true }],
    [{ ok: false }],
    [{ ok: true, value: { position: 'x' } }],
  ])('answers a reply off the protocol (%j) with 502', (reply) => {
    expect(problemOf(() => mapCommandReply(reply, logger, 's'))).toMatchObject({
      status: 502,
      code: 'BAD_GATEWAY',
    });
  });
});

describe('mapRequestFailure', () => {
  it('answers no answer at all with 503 and Retry-After', () => {
    expect(problemOf(() => mapRequestFailure(new Error('503'), logger, 's'))).toEqual({
      status: 503,
      code: 'UNAVAILABLE',
      extra: { headers: { 'retry-after': '2' } },
    });
  });
});
