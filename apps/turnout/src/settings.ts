// The turnout service's settings, read and checked once at start.
import { loadConfig } from '@hpe/config';
import { commandServiceSettings } from '@hpe/service-kit';

/** Health endpoints of the embedded stack's turnout service. */
export const defaultTurnoutHttpPort = 8092;

export const turnoutSettings = commandServiceSettings(defaultTurnoutHttpPort);

export type TurnoutSettings = ReturnType<typeof loadTurnoutSettings>;

export function loadTurnoutSettings(env?: Readonly<Record<string, string | undefined>>) {
  return loadConfig('turnout', turnoutSettings, env);
}
