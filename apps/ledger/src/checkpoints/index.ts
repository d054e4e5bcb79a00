// Signed checkpoints: Ed25519 keys, the checkpoint event and its signed bytes, the checkpointer
// the ledger service runs, and the verifier auditors run.
export * from './signing-key.js';
export * from './checkpoint-event.js';
export * from './checkpointer.js';
export * from './verify-checkpoints.js';
