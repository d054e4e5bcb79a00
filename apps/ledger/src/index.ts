// @hpe/ledger: the event store service's building blocks for tools and tests: the hash chain,
// storage, signed checkpoints and verification. The service itself starts from main.ts.
export * from './chain/index.js';
export * from './storage/index.js';
export * from './checkpoints/index.js';
export * from './verify/index.js';
