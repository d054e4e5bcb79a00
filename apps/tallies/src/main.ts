// Process entry point of the tallies service: read settings once, start, stop gracefully on signals.
import { runCommandServiceMain } from '@hpe/service-kit';
import { loadTalliesSettings } from './settings.js';
import { startTalliesService } from './service.js';

runCommandServiceMain(() => startTalliesService(loadTalliesSettings()));
