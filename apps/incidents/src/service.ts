// Starts the incidents service (the kit's command service) in queue group `incidents`.
import {
  commandQueues,
  startCommandService,
  type CommandServiceOverrides,
  type RunningCommandService,
} from '@hpe/service-kit';
import { IncidentsModule } from './incidents.module.js';
import type { IncidentsSettings } from './settings.js';

export type RunningIncidentsService = RunningCommandService;

export function startIncidentsService(
  settings: IncidentsSettings,
  overrides: CommandServiceOverrides = {},
): Promise<RunningIncidentsService> {
  return startCommandService(
    {
      name: 'incidents',
      queue: commandQueues.incidents,
      module: (deps) => IncidentsModule.register(deps),
    },
    settings,
    overrides,
  );
}
