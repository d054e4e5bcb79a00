export * from './migrate.js';
export * from './client.js';
export * from './reference-store.js';
