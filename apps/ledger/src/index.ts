// @hpe/ledger: the event store service. Today its storage core and hash chain; the NATS API,
// leader election, checkpoints, the JetStream relay and the audit CLI follow (issue #3).
export * from './chain/index.js';
export * from './storage/index.js';
