// Property: whatever the field sends, in whatever order, the figures the decider accepts never
// decrease and never pass the list (including voters added by transfer after registration).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents } from '../decider.js';
import type { TurnoutCommand } from './turnout-commands.js';
import { turnoutDecider } from './turnout-decider.js';
import type { TurnoutEvent } from './turnout-events.js';

const pollingAreaId = 'PA-10507-001';
const opening = Date.parse('2026-03-15T07:00:00+07:00');
const now = new Date('2026-03-15T23:00:00+07:00');

// Minutes after 07:00 (reaching past 21:00) and figures around a list of 500.
const step = fc.oneof(
  fc.record({
    kind: fc.constant('report' as const),
    minute: fc.integer({ min: -60, max: 15 * 60 }),
    votersVoted: fc.integer({ min: 0, max: 600 }),
  }),
  fc.record({
    kind: fc.constant('adjust' as const),
    change: fc.constantFrom(
      'transferred_in' as const,
      'transferred_out' as const,
      'struck_off' as const,
    ),
    count: fc.integer({ min: 1, max: 50 }),
  }),
);

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function command(s: Step): TurnoutCommand {
  if (s.kind === 'adjust')
    return { type: 'AdjustVoterList', data: { pollingAreaId, change: s.change, count: s.count } };
  const asOf = new Date(opening + s.minute * 60_000).toISOString();
  return { type: 'ReportTurnout', data: { pollingAreaId, asOf, votersVoted: s.votersVoted } };
}

describe('turnout property', () => {
  it('any sequence of accepted turnout reports is non-decreasing and never above the list', () => {
    // Counts what was accepted and refused over all runs, so the property cannot hold vacuously.
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const history: TurnoutEvent[] = [
          {
            type: 'PollingAreaRegistered',
            data: { pollingAreaId, votersOnList: 500, electionDate: '2026-03-15' },
          },
          { type: 'PollingAreaOpened', data: { pollingAreaId, at: '2026-03-15T07:00:00+07:00' } },
        ];
        for (const s of steps) {
          const result = turnoutDecider.decide(command(s), foldEvents(turnoutDecider, history), {
            now,
          });
          if (result.ok) {
            history.push(...result.value);
            accepted += 1;
          } else refused += 1;
        }
        let list = 0;
        let previous = 0;
        let previousAsOf = Number.NEGATIVE_INFINITY;
        for (const event of history) {
          if (event.type === 'PollingAreaRegistered' || event.type === 'VoterListAdjusted') {
            list = event.data.votersOnList;
            expect(list).toBeGreaterThanOrEqual(previous);
          }
          if (event.type === 'TurnoutReported') {
            expect(event.data.votersVoted).toBeGreaterThanOrEqual(previous);
            expect(event.data.votersVoted).toBeLessThanOrEqual(list);
            expect(Date.parse(event.data.asOf)).toBeGreaterThan(previousAsOf);
            previous = event.data.votersVoted;
            previousAsOf = Date.parse(event.data.asOf);
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
