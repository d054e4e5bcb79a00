// The command services as the gateway harness starts them beside the gateway: each in-process on
// the harness's servers, deciding at a fixed "now" (the evening of election day by default), so
// field times of 15 March 2026 are never in the future and never refused for the calendar.
import { loadAnomaliesSettings } from '@hpe/anomalies/settings';
import { startAnomaliesService, type RunningAnomaliesService } from '@hpe/anomalies/service';
import { loadIncidentsSettings } from '@hpe/incidents/settings';
import { startIncidentsService, type RunningIncidentsService } from '@hpe/incidents/service';
import { loadTalliesSettings } from '@hpe/tallies/settings';
import { startTalliesService, type RunningTalliesService } from '@hpe/tallies/service';
import { loadTurnoutSettings } from '@hpe/turnout/settings';
import { startTurnoutService, type RunningTurnoutService } from '@hpe/turnout/service';
import { loadVoterCardsSettings } from '@hpe/voter-cards/settings';
import { startVoterCardsService, type RunningVoterCardsService } from '@hpe/voter-cards/service';
import type { ServiceStarter } from './gateway-harness.test-support.js';

/** 21:30 on election day: polling has closed everywhere, counting is under way. */
export const electionEvening = new Date('2026-03-15T21:30:00+07:00');

export function turnoutService(now: Date = electionEvening): ServiceStarter<RunningTurnoutService> {
  return async (context) =>
    startTurnoutService(loadTurnoutSettings(await context.env()), { clock: () => now });
}

/** `env` adds to the settings: a mode other than demo, with its own VOTER_KEY_SECRET. */
export function voterCardsService(
  now: Date = electionEvening,
  env: Record<string, string> = {},
): ServiceStarter<RunningVoterCardsService> {
  return async (context) =>
    startVoterCardsService(loadVoterCardsSettings(await context.env(env)), { clock: () => now });
}

export function talliesService(now: Date = electionEvening): ServiceStarter<RunningTalliesService> {
  return async (context) =>
    startTalliesService(loadTalliesSettings(await context.env()), { clock: () => now });
}

export function incidentsService(
  now: Date = electionEvening,
): ServiceStarter<RunningIncidentsService> {
  return async (context) =>
    startIncidentsService(loadIncidentsSettings(await context.env()), { clock: () => now });
}

/** The anomalies service with its detector; no schedule emitter (no wall-clock rounds). */
export function anomaliesService(
  now: Date = electionEvening,
): ServiceStarter<RunningAnomaliesService> {
  return async (context) =>
    startAnomaliesService(
      loadAnomaliesSettings(await context.env({ ANOMALY_SCHEDULE_ENABLED: 'false' })),
      { clock: () => now },
    );
}

/** Every command service of the gateway's routes. */
export function allServices(now: Date = electionEvening): ServiceStarter[] {
  return [
    turnoutService(now),
    voterCardsService(now),
    talliesService(now),
    incidentsService(now),
    anomaliesService(now),
  ];
}
