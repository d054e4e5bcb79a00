// Injection tokens every command service's Nest module provides: verbatimModuleSyntax erases
// type-only imports, so constructor parameters name their tokens explicitly.
export const COMMAND_RUNNER = Symbol('service.commandRunner');
export const COMMAND_TRANSPORT = Symbol('service.commandTransport');
export const LOGGER = Symbol('service.logger');
