// GET /api/v1/electoral-units on the reference data: the city's figures per level (7 NA units with
// 19 seats and 33 candidates, 18 city units with 85 seats), for every role that reads results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectProblem,
  startGatewayHarness,
  type GatewayHarness,
} from '../testing/gateway-harness.test-support.js';

interface Unit {
  unitId: string;
  level: string;
  seats: number;
  communeIds: string[];
  candidates: { candidateId: string; name: string; birthDate: string }[];
}

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness('gateway_units');
}, 120_000);
afterAll(async () => {
  await h.stop();
});

describe('GET /api/v1/electoral-units', () => {
  it('lists the NA and city units with their seats and candidates', async () => {
    const na = (await h.get('/electoral-units?level=na', { user: 'ops' })).body['units'] as Unit[];
    expect(na).toHaveLength(7);
    expect(na.reduce((s, u) => s + u.seats, 0)).toBe(19);
    expect(na.reduce((s, u) => s + u.candidates.length, 0)).toBe(33);
    expect(na.every((u) => u.level === 'na' && u.communeIds.length > 0)).toBe(true);
    const city = (await h.get('/electoral-units?level=city', { user: 'pa-PA-10507-001' })).body[
      'units'
    ] as Unit[] | undefined;
    expect(city?.reduce((s, u) => s + u.seats, 0)).toBe(85);
  });

  it('refuses an unknown level and anonymous callers', async () => {
    expectProblem(
      await h.get('/electoral-units?level=district', { user: 'ops' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await h.get('/electoral-units'), 401, 'UNAUTHENTICATED');
  });
});
