// The public surface of the service kit.
export * from './command-nats-server.js';
export * from './command-reply.js';
export * from './command-transport.js';
export * from './health-server.js';
export * from './nats-codec.js';
export * from './service-settings.js';
export * from './start-command-service.js';
export * from './stream-command-runner.js';
export * from './subjects.js';
export * from './tokens.js';
