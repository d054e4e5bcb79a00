export * from './embedded-defaults.js';
export * from './settings.js';
export * from './load-config.js';
