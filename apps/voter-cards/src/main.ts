// Process entry point of the voter-cards service: read settings once, start, stop gracefully on signals.
import { runCommandServiceMain } from '@hpe/service-kit';
import { startVoterCardsService } from './service.js';
import { loadVoterCardsSettings } from './settings.js';

runCommandServiceMain(() => startVoterCardsService(loadVoterCardsSettings()));
