// @hpe/audit: the auditor's library behind the hpe-audit command, for tools that want the same
// checks in-process (the gateway's GET /api/v1/ledger/verify, later).
export * from './audit-log.js';
export * from './ledger-reader.js';
export * from './ndjson.js';
export * from './progress.js';
export * from './run-cli.js';
export * from './cli-support.js';
export * from './read-model-digest.js';
export * from './read-model-replay.js';
