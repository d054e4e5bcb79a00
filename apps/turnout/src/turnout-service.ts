// Starts the turnout service (the kit's command service) in queue group `turnout`.
import {
  commandQueues,
  startCommandService,
  type CommandServiceOverrides,
  type RunningCommandService,
} from '@hpe/service-kit';
import type { TurnoutSettings } from './settings.js';
import { TurnoutModule } from './turnout.module.js';

export type RunningTurnoutService = RunningCommandService;

export function startTurnoutService(
  settings: TurnoutSettings,
  overrides: CommandServiceOverrides = {},
): Promise<RunningTurnoutService> {
  return startCommandService(
    {
      name: 'turnout',
      queue: commandQueues.turnout,
      module: (deps) => TurnoutModule.register(deps),
    },
    settings,
    overrides,
  );
}
