export * from './system-packages.js';
export * from './run-as.js';
export * from './postgres.js';
export * from './nats.js';
export * from './processes.js';
export * from './ports.js';
