import type {} from '@hpe/test-kit/global-setup';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@hpe/test-kit';
import { generateReferenceDataset } from '@hpe/reference-data';
import { applyMigrations } from './migrate.js';
import {
  datasetDigest,
  ReferenceStoreError,
  seedReferenceData,
  storeReferenceDataset,
} from './reference-store.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(inject('postgresAdminUrl'), 'reference');
  await applyMigrations(db.url);
});
afterAll(async () => {
  await db.drop();
});

async function scalar(sql: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ v: string }>(sql);
    return rows[0]?.v;
  } finally {
    await c.end();
  }
}

describe('reference dataset in the store', () => {
  it('loads Hải Phòng 2026 into an empty store with every official figure', async () => {
    const outcome = await seedReferenceData(db.url, { seed: 'haiphong-2026' });
    expect(outcome.loaded).toBe(true);
    expect(outcome.sha256).toBe(datasetDigest(generateReferenceDataset({ seed: 'haiphong-2026' })));
    expect(await scalar('select count(*)::text as v from commune')).toBe('114');
    expect(await scalar('select count(*)::text as v from polling_area')).toBe('2577');
    expect(
      await scalar("select count(*)::text as v from polling_area where kind = 'separate'"),
    ).toBe('40');
    expect(await scalar('select sum(voters_on_list)::text as v from polling_area')).toBe('3189339');
    expect(await scalar('select sum(voters_on_list)::text as v from commune')).toBe('3189339');
    expect(
      await scalar(
        "select count(*)::text || '/' || sum(seats)::text as v from electoral_unit where level = 'na'",
      ),
    ).toBe('7/19');
    expect(
      await scalar(
        "select count(*)::text || '/' || sum(seats)::text as v from electoral_unit where level = 'city'",
      ),
    ).toBe('18/85');
    expect(
      await scalar(
        "select count(*)::text || '/' || sum(seats)::text as v from electoral_unit where level = 'commune'",
      ),
    ).toBe('718/2375');
    expect(await scalar("select count(*)::text as v from candidate where level = 'na'")).toBe('33');
    expect(await scalar("select count(*)::text as v from candidate where level = 'city'")).toBe(
      '139',
    );
    expect(await scalar("select count(*)::text as v from candidate where level = 'commune'")).toBe(
      '3952',
    );
    expect(await scalar("select election_date as v from commune where name = 'Bạch Long Vĩ'")).toBe(
      '2026-03-14',
    );
    // Every polling area points at a real unit of each level.
    expect(
      await scalar(`select count(*)::text as v from polling_area a
        where not exists (select 1 from electoral_unit u where u.unit_id = a.na_unit_id and u.level = 'na')
           or not exists (select 1 from electoral_unit u where u.unit_id = a.city_unit_id and u.level = 'city')
           or not exists (select 1 from electoral_unit u where u.unit_id = a.commune_unit_id and u.level = 'commune')`),
    ).toBe('0');
  });

  it('leaves a store holding the same dataset alone', async () => {
    const again = await seedReferenceData(db.url, { seed: 'haiphong-2026' });
    expect(again.loaded).toBe(false);
    expect(await scalar('select count(*)::text as v from reference_dataset')).toBe('1');
  });

  it('refuses another dataset over the one it holds, and changes nothing', async () => {
    const before = await scalar(
      "select string_agg(full_name, ',' order by candidate_id) as v from candidate",
    );
    const failure = await seedReferenceData(db.url, { seed: 'another-seed' }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ReferenceStoreError);
    expect(failure).toMatchObject({ code: 'REFERENCE_DATASET_MISMATCH' });
    expect(
      await scalar("select string_agg(full_name, ',' order by candidate_id) as v from candidate"),
    ).toBe(before);
  });

  it('loads nothing at all when one row cannot be stored', async () => {
    const fresh = await createTestDatabase(inject('postgresAdminUrl'), 'reference_bad');
    try {
      await applyMigrations(fresh.url);
      const dataset = generateReferenceDataset({ seed: 'haiphong-2026' });
      const broken = {
        ...dataset,
        // A candidate in a unit that does not exist breaks the foreign key at the last insert.
        candidates: [
          ...dataset.candidates.slice(0, -1),
          { ...dataset.candidates[dataset.candidates.length - 1], unitId: 'NOWHERE' },
        ],
      } as typeof dataset;
      await expect(storeReferenceDataset(fresh.url, broken, 'haiphong-2026')).rejects.toThrow();
      const c = new pg.Client({ connectionString: fresh.url });
      await c.connect();
      const { rows } = await c.query<{ n: string }>(
        'select (select count(*) from commune) + (select count(*) from reference_dataset) as n',
      );
      await c.end();
      expect(rows[0]?.n).toBe('0');
    } finally {
      await fresh.drop();
    }
  });
});
