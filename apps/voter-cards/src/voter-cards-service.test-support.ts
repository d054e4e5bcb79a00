// Real servers for the voter-cards service's integration tests: the ledger stack (a nats-server of
// the file's own, a ledger in-process on a test database, the reference data with the card index
// table in another) and the service itself with a clock the test sets. Also makes import rows with
// valid citizen ids.
import pg from 'pg';
import { startLedgerStack, serviceOnStack, type ServiceOnStack } from '@hpe/ledger/testing/stack';
import { startVoterCardsService, type RunningVoterCardsService } from './service.js';
import { loadVoterCardsSettings } from './settings.js';

export const testVoterKeySecret = 'voter-cards-test-secret-0123456789abcdef';

export interface AreaRef {
  readonly pollingAreaId: string;
  readonly communeId: string;
}

export interface VoterCardsHarness extends ServiceOnStack<RunningVoterCardsService> {
  readonly pool: pg.Pool;
  /** Reference areas voting on 15 March, in id order. */
  readonly areas: readonly AreaRef[];
  setNow(now: Date): void;
}

export async function startVoterCardsHarness(initialNow: Date): Promise<VoterCardsHarness> {
  const stack = await startLedgerStack('voters');
  const pool = new pg.Pool({ connectionString: stack.referenceDatabaseUrl, max: 2 });
  const { rows } = await pool.query<{ polling_area_id: string; commune_id: string }>(
    `select p.polling_area_id, p.commune_id from polling_area p join commune c using (commune_id)
      where c.election_date = '2026-03-15' order by p.polling_area_id`,
  );
  let now = initialNow;
  const service = await startVoterCardsService(
    loadVoterCardsSettings(
      await stack.serviceEnv({ HPE_MODE: 'test', VOTER_KEY_SECRET: testVoterKeySecret }),
    ),
    { clock: () => now },
  );
  return {
    ...serviceOnStack(stack, service, { timeoutMs: 30_000, alsoClose: () => pool.end() }),
    pool,
    areas: rows.map((r) => ({ pollingAreaId: r.polling_area_id, communeId: r.commune_id })),
    setNow: (next) => {
      now = next;
    },
  };
}

let serial = 0;

/**
 * An import row for a new fictional citizen: a 12-digit id whose century/sex and year digits agree
 * with the birth year and gender (031 = Hải Phòng), the card `<area>-<seq>`.
 */
export function importRow(
  pollingAreaId: string,
  seq: number,
  overrides: { citizenId?: string; fullName?: string } = {},
): {
  citizenId: string;
  fullName: string;
  birthYear: number;
  gender: 'male' | 'female';
  pollingAreaId: string;
  cardNumber: string;
} {
  serial += 1;
  return {
    citizenId: overrides.citizenId ?? `0311${'80'}${String(serial + 300_000).padStart(6, '0')}`,
    fullName: overrides.fullName ?? 'Trần Thị Lan',
    birthYear: 1980,
    gender: 'female',
    pollingAreaId,
    cardNumber: `${pollingAreaId}-${String(seq).padStart(4, '0')}`,
  };
}
