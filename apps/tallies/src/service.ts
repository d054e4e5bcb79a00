// Starts the tallies service (the kit's command service) in queue group `tallies`.
import {
  commandQueues,
  startCommandService,
  type CommandServiceOverrides,
  type RunningCommandService,
} from '@hpe/service-kit';
import type { TalliesSettings } from './settings.js';
import { TalliesModule } from './tallies.module.js';

export type RunningTalliesService = RunningCommandService;

export function startTalliesService(
  settings: TalliesSettings,
  overrides: CommandServiceOverrides = {},
): Promise<RunningTalliesService> {
  return startCommandService(
    {
      name: 'tallies',
      queue: commandQueues.tallies,
      module: (deps) => TalliesModule.register(deps),
    },
    settings,
    overrides,
  );
}
