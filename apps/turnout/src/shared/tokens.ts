// Injection tokens of the turnout service: verbatimModuleSyntax erases type-only imports, so every
// constructor parameter names its token explicitly.
export const CLOCK = Symbol('turnout.clock');
export const NEW_EVENT_ID = Symbol('turnout.newEventId');
export const LEDGER = Symbol('turnout.ledger');
export const POLLING_AREA_DIRECTORY = Symbol('turnout.pollingAreaDirectory');
export const LOGGER = Symbol('turnout.logger');
export const RUNNER_OPTIONS = Symbol('turnout.runnerOptions');

/** The time commands are decided at; tests set it. */
export type Clock = () => Date;
/** UUIDv7 for each new event, so a retried append is idempotent. */
export type NewEventId = () => string;
