export * from './connect-nats.js';
export * from './events-stream.js';
export * from './event-subject.js';
export * from './relay-headers.js';
export * from './drill-clock.js';
export * from './json-batch.js';
