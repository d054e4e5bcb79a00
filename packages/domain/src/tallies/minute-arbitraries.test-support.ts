// fast-check generators for the tallies' properties: minutes that are consistent by
// construction, and whole electoral units made of them.
import fc from 'fast-check';
import type { Level } from '../levels.js';
import type { CountingMinute } from './counting-minute.js';

/** Every figure derived from free numbers so that each rule holds, whatever fast-check draws. */
export function consistentMinute(
  seats: number,
  candidateIds: readonly string[],
  maxList = 5_000,
): fc.Arbitrary<CountingMinute> {
  return fc
    .record({
      list: fc.integer({ min: 0, max: maxList }),
      voted: fc.nat(),
      issued: fc.integer({ min: 0, max: maxList }),
      received: fc.nat(),
      valid: fc.nat(),
      votes: fc.array(fc.nat(), { minLength: candidateIds.length, maxLength: candidateIds.length }),
      complaints: fc.tuple(fc.integer({ min: 0, max: 50 }), fc.nat(), fc.nat()),
    })
    .map(({ list, voted, issued, received, valid, votes, complaints }) => {
      const ballotsReceived = received % (issued + 1);
      const validBallots = valid % (ballotsReceived + 1);
      let room = validBallots * seats;
      const byCandidate: Record<string, number> = {};
      candidateIds.forEach((id, i) => {
        const n = Math.min((votes[i] ?? 0) % (validBallots + 1), room);
        room -= n;
        byCandidate[id] = n;
      });
      const [complaintsReceived, r, f] = complaints;
      const resolved = r % (complaintsReceived + 1);
      return {
        votersOnList: list,
        votersVoted: voted % (list + 1),
        ballotsIssued: issued,
        ballotsReceived,
        validBallots,
        invalidBallots: ballotsReceived - validBallots,
        votes: byCandidate,
        complaints: {
          received: complaintsReceived,
          resolved,
          forwarded: f % (complaintsReceived - resolved + 1),
        },
      };
    });
}

export interface UnitScenario {
  readonly level: Level;
  readonly seats: number;
  readonly candidates: readonly { readonly candidateId: string; readonly birthDate: string }[];
  readonly minutes: readonly { readonly pollingAreaId: string; readonly minute: CountingMinute }[];
}

/** A unit with all its areas reported; few birth dates, so ties on age happen too. */
export const unitScenario: fc.Arbitrary<UnitScenario> = fc
  .record({
    level: fc.constantFrom<Level>('na', 'city', 'commune'),
    seats: fc.integer({ min: 1, max: 5 }),
    extra: fc.integer({ min: 0, max: 4 }),
    areas: fc.integer({ min: 1, max: 4 }),
  })
  .chain(({ level, seats, extra, areas }) => {
    const candidateIds = Array.from({ length: seats + extra }, (_, i) => `U-1-${i + 1}`);
    return fc
      .record({
        birthDates: fc.array(
          fc.constantFrom('1960-01-01', '1970-06-15', '1980-12-31', '1990-03-08'),
          { minLength: candidateIds.length, maxLength: candidateIds.length },
        ),
        minutes: fc.array(consistentMinute(seats, candidateIds, 2_000), {
          minLength: areas,
          maxLength: areas,
        }),
      })
      .map(({ birthDates, minutes }) => ({
        level,
        seats,
        candidates: candidateIds.map((candidateId, i) => ({
          candidateId,
          birthDate: birthDates[i] ?? '1970-01-01',
        })),
        minutes: minutes.map((minute, i) => ({ pollingAreaId: `PA-${i + 1}`, minute })),
      }));
  });
