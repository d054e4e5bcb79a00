// Process entry point of the turnout service: read settings once, start, stop gracefully on signals.
import { runCommandServiceMain } from '@hpe/service-kit';
import { loadTurnoutSettings } from './settings.js';
import { startTurnoutService } from './turnout-service.js';

runCommandServiceMain(() => startTurnoutService(loadTurnoutSettings()));
