export * from './result.js';
export * from './assert.js';
export * from './levels.js';
export * from './event-envelope.js';
export * from './decider.js';
