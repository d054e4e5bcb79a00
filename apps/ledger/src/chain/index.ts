// The hash chain: canonical bytes of an event, one link's hash, and verification of a run of
// events. Pure functions over values; storage lives in ../storage.
export * from './canonical-json.js';
export * from './canonical-event.js';
export * from './chain-hash.js';
export * from './seal-event.js';
export * from './verify-chain.js';
