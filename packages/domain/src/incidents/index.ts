// Incidents at polling areas, from report through police triage to resolution: schemas and decider.
// The public surface of this folder.
export * from './incident-values.js';
export * from './incident-commands.js';
export * from './incident-events.js';
export * from './incident-decider.js';
