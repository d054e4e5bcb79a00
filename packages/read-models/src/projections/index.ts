// The projections and their drivers' building blocks, for the projector, the gateway and the
// auditor's replay.
import { anomaliesProjection } from './anomalies-projection.js';
import { incidentsProjection } from './incidents-projection.js';
import { progressProjection } from './progress-projection.js';
import type { Projection } from './projection.js';
import { talliesProjection } from './tallies-projection.js';
import { turnoutTimelineProjection } from './turnout-timeline-projection.js';
import { voterCardsProjection } from './voter-cards-projection.js';

export * from './tables.js';
export * from './projection.js';
export * from './reference-model.js';
export * from './projection-engine.js';
export * from './read-model-store.js';
export * from './replay.js';
export { OVERVIEW_ID } from './progress-projection.js';
export { CITY_SCOPE_ID, TIMELINE_STEP_MS, stepEnd } from './turnout-timeline-projection.js';
export {
  anomaliesProjection,
  incidentsProjection,
  progressProjection,
  talliesProjection,
  turnoutTimelineProjection,
  voterCardsProjection,
};

/** Every projection, in the order they apply an event. */
export const allProjections: readonly Projection[] = [
  progressProjection,
  turnoutTimelineProjection,
  voterCardsProjection,
  talliesProjection,
  incidentsProjection,
  anomaliesProjection,
];

export const projectionNames = allProjections.map((p) => p.name);

/** The projections named, or every one when `names` is empty; throws on an unknown name. */
export function selectProjections(names: readonly string[]): readonly Projection[] {
  if (names.length === 0) return allProjections;
  return names.map((name) => {
    const p = allProjections.find((x) => x.name === name);
    if (p === undefined) {
      throw new Error(`unknown projection ${name}; known: ${projectionNames.join(', ')}`);
    }
    return p;
  });
}
