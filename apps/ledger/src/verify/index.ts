// Verification of the stored log at scale: parallel range verification straight from PostgreSQL,
// with the same result as the sequential verifier in ../chain.
export * from './verify-log-parallel.js';
export { readChainRange, readLogHeadPosition, defaultRangePageSize } from './read-chain-range.js';
export * from './verify-ledger.js';
