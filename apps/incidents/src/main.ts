// Process entry point of the incidents service: read settings once, start, stop gracefully on signals.
import { runCommandServiceMain } from '@hpe/service-kit';
import { startIncidentsService } from './service.js';
import { loadIncidentsSettings } from './settings.js';

runCommandServiceMain(() => startIncidentsService(loadIncidentsSettings()));
