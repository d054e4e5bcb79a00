// Process entry point of the anomalies service: read settings once, start, stop gracefully on signals.
import { runCommandServiceMain } from '@hpe/service-kit';
import { startAnomaliesService } from './service.js';
import { loadAnomaliesSettings } from './settings.js';

// Async, so a settings error is a rejection: printed as a message, not a stack trace.
runCommandServiceMain(async () => startAnomaliesService(loadAnomaliesSettings()));
