// The incidents service's settings, read and checked once at start.
import { loadConfig } from '@hpe/config';
import { commandServiceSettings } from '@hpe/service-kit';

/** Health endpoints of the embedded stack's incidents service. */
export const defaultIncidentsHttpPort = 8096;

export const incidentsSettings = commandServiceSettings(defaultIncidentsHttpPort);

export type IncidentsSettings = ReturnType<typeof loadIncidentsSettings>;

export function loadIncidentsSettings(env?: Readonly<Record<string, string | undefined>>) {
  return loadConfig('incidents', incidentsSettings, env);
}
