// Starts the voter-cards service (the kit's command service) in queue group `voter-cards`, with a
// PostgreSQL pool of its own for the card index and the reference areas.
import {
  commandQueues,
  startCommandService,
  type CommandServiceOverrides,
  type RunningCommandService,
} from '@hpe/service-kit';
import pg from 'pg';
import type { VoterCardsSettings } from './settings.js';
import { VoterCardsModule } from './voter-cards.module.js';

export type RunningVoterCardsService = RunningCommandService;

export { rebuildCardIndex, type RebuildReport } from './shared/card-index-rebuild.js';
export { voterKeyHasher } from './shared/voter-key.js';

export async function startVoterCardsService(
  settings: VoterCardsSettings,
  overrides: CommandServiceOverrides = {},
): Promise<RunningVoterCardsService> {
  const pool = new pg.Pool({
    connectionString: settings.DATABASE_URL,
    max: 10,
    application_name: 'voter-cards',
  });
  pool.on('error', () => undefined);
  try {
    const running = await startCommandService(
      {
        name: 'voter-cards',
        queue: commandQueues.voterCards,
        module: (deps) =>
          VoterCardsModule.register(deps, {
            pool,
            voterKeySecret: settings.VOTER_KEY_SECRET,
            importConcurrency: settings.VOTER_IMPORT_CONCURRENCY,
            staleRetries: settings.COMMAND_STALE_RETRIES,
          }),
        maxDatabaseConnections: 1,
      },
      settings,
      overrides,
    );
    return {
      ...running,
      close: async () => {
        await running.close();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
