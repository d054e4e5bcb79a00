// The tallies service's settings, read and checked once at start.
import { loadConfig } from '@hpe/config';
import { commandServiceSettings } from '@hpe/service-kit';

/** Health endpoints of the embedded stack's tallies service. */
export const defaultTalliesHttpPort = 8095;

export const talliesSettings = commandServiceSettings(defaultTalliesHttpPort);

export type TalliesSettings = ReturnType<typeof loadTalliesSettings>;

export function loadTalliesSettings(env?: Readonly<Record<string, string | undefined>>) {
  return loadConfig('tallies', talliesSettings, env);
}
