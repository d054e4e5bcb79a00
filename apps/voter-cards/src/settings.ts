// The voter-cards service's settings, read and checked once at start: the kit's, plus the HMAC key
// that turns a citizen ID into a voterKey and how many appends an import batch keeps in flight.
import { ConfigError, loadConfig } from '@hpe/config';
import { commandServiceSettings } from '@hpe/service-kit';
import { z } from 'zod';

/** Health endpoints of the embedded stack's voter-cards service. */
export const defaultVoterCardsHttpPort = 8094;

/** Keys voters when VOTER_KEY_SECRET is unset in demo mode; refused in any other mode. */
export const demoVoterKeySecret = 'hpe-demo-voter-key-secret-do-not-use-outside-demo-mode';

export const voterCardsSettings = {
  ...commandServiceSettings(defaultVoterCardsHttpPort),
  /** HMAC-SHA-256 key of the voterKey; at least 32 characters. Changing it re-keys every voter. */
  VOTER_KEY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Registrations of one import batch appended at once (the ledger group-commits them). */
  VOTER_IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(1_024).default(64),
};

type Loaded = ReturnType<typeof loadConfig<typeof voterCardsSettings>>;

export type VoterCardsSettings = Readonly<
  Omit<Loaded, 'VOTER_KEY_SECRET'> & { readonly VOTER_KEY_SECRET: string }
>;

export function loadVoterCardsSettings(
  env?: Readonly<Record<string, string | undefined>>,
): VoterCardsSettings {
  const loaded = loadConfig('voter-cards', voterCardsSettings, env);
  if (loaded.HPE_MODE !== 'demo') {
    if (loaded.VOTER_KEY_SECRET === undefined)
      throw new ConfigError('voter-cards', [
        {
          variable: 'VOTER_KEY_SECRET',
          message: `is required when HPE_MODE is ${loaded.HPE_MODE} (a random string of at least 32 characters)`,
        },
      ]);
    if (loaded.VOTER_KEY_SECRET === demoVoterKeySecret)
      throw new ConfigError('voter-cards', [
        {
          variable: 'VOTER_KEY_SECRET',
          message: `is the published demo secret; refused when HPE_MODE is ${loaded.HPE_MODE}`,
        },
      ]);
  }
  return Object.freeze({
    ...loaded,
    VOTER_KEY_SECRET: loaded.VOTER_KEY_SECRET ?? demoVoterKeySecret,
  });
}
