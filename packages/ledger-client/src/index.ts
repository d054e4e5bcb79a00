// @hpe/ledger-client: the typed NATS client of the ledger and the wire protocol both ends share.
// Callers supply event ids (UUIDv7); the client generates nothing itself.
export * from './wire.js';
export * from './ledger-error.js';
export * from './ledger-client.js';
