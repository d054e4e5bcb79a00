// The ledger's storage: the event-store contract, request validation, limits and the PostgreSQL
// implementation with its schema. Test helpers (contract suite, test events) are not exported here.
export * from './event-store.js';
export * from './limits.js';
export * from './append-request.js';
export * from './schema.js';
export * from './postgres-event-store.js';
