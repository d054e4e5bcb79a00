// Incident ids are UUIDv7: well-formed, carrying their time, distinct, and usable as stream ids.
import { IncidentId } from '@hpe/domain';
import { describe, expect, it } from 'vitest';
import { newIncidentId } from './incident-id.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newIncidentId', () => {
  it('is a lower-case UUIDv7 the domain accepts as an incident id', () => {
    const id = newIncidentId();
    expect(id).toMatch(uuidV7);
    expect(IncidentId.safeParse(id).success).toBe(true);
  });

  it('carries its time in the first 48 bits, so later ids sort after earlier ones', () => {
    const before = Date.now();
    const ids = Array.from({ length: 100 }, () => newIncidentId());
    const stamped = parseInt((ids[0] ?? '').replaceAll('-', '').slice(0, 12), 16);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
    expect([...ids].sort()).toEqual(ids);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newIncidentId()));
    expect(ids.size).toBe(10_000);
  });
});
