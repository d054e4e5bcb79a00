export * from './migrate.js';
export * from './client.js';
export * from './reference-store.js';
export * from './password-hash.js';
export * from './users.js';
export * from './projections/index.js';
