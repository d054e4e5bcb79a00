// Loads the Hải Phòng reference dataset into an empty store in one transaction, and refuses a
// store that already holds a different dataset (ADR 0005). The seed and SHA-256 are recorded so an
// auditor can regenerate the exact bytes.
import { createHash } from 'node:crypto';
import {
  generateReferenceDataset,
  loadReferenceDataset,
  type ReferenceDataset,
} from '@hpe/reference-data';
import { createReadModelClient } from './client.js';

export interface SeedOutcome {
  readonly loaded: boolean;
  readonly seed: string;
  readonly sha256: string;
  readonly counts: string;
}

export class ReferenceStoreError extends Error {
  constructor(
    readonly code: 'REFERENCE_DATASET_MISMATCH',
    message: string,
  ) {
    super(message);
    this.name = 'ReferenceStoreError';
  }
}

export function datasetDigest(dataset: ReferenceDataset): string {
  return createHash('sha256').update(JSON.stringify(dataset)).digest('hex');
}

/** Generates the dataset for `seed`, validates it against the official figures, and stores it once. */
export async function seedReferenceData(
  databaseUrl: string,
  { seed }: { seed: string },
): Promise<SeedOutcome> {
  // Validates the rows and Hải Phòng's official figures; throws naming the offending row.
  const dataset = loadReferenceDataset(generateReferenceDataset({ seed }));
  return storeReferenceDataset(databaseUrl, dataset, seed);
}

export async function storeReferenceDataset(
  databaseUrl: string,
  dataset: ReferenceDataset,
  seed: string,
): Promise<SeedOutcome> {
  const sha256 = datasetDigest(dataset);
  const counts =
    `${dataset.communes.length} communes, ${dataset.pollingAreas.length} polling areas, ` +
    `${dataset.electoralUnits.length} electoral units, ${dataset.candidates.length} candidates`;
  const prisma = createReadModelClient(databaseUrl, { maxConnections: 2 });
  try {
    const existing = await prisma.referenceDataset.findMany();
    if (existing.length > 0) {
      const same = existing.find((d) => d.sha256 === sha256);
      if (!same) {
        const held = existing.map((d) => `seed "${d.seed}" sha256 ${d.sha256}`).join(', ');
        throw new ReferenceStoreError(
          'REFERENCE_DATASET_MISMATCH',
          `the store already holds another reference dataset (${held}); refusing to load seed "${seed}" sha256 ${sha256}. ` +
            'Use the same HPE_REFERENCE_SEED, or wipe the store (npm run stack:reset).',
        );
      }
      return { loaded: false, seed: same.seed, sha256, counts };
    }
    const votersOnList = dataset.communes.reduce((n, c) => n + c.votersOnList, 0);
    await prisma.$transaction(
      [
        prisma.commune.createMany({
          data: dataset.communes.map((c) => ({
            communeId: c.communeId,
            name: c.name,
            type: c.type,
            population: c.population,
            areaKm2: c.areaKm2.toFixed(2),
            votersOnList: c.votersOnList,
            pollingAreaCount: c.pollingAreaCount,
            electionDate: c.electionDate,
            cardsFrom: c.cardDistribution.from,
            cardsTo: c.cardDistribution.to,
          })),
        }),
        prisma.electoralUnit.createMany({
          data: dataset.electoralUnits.map((u) => ({
            unitId: u.unitId,
            level: u.level,
            name: u.name,
            seats: u.seats,
            communeIds: [...u.communeIds],
          })),
        }),
        prisma.pollingArea.createMany({
          data: dataset.pollingAreas.map((a) => ({
            pollingAreaId: a.pollingAreaId,
            communeId: a.communeId,
            name: a.name,
            kind: a.kind,
            separateKind: a.separateKind ?? null,
            votersOnList: a.votersOnList,
            naUnitId: a.units.na,
            cityUnitId: a.units.city,
            communeUnitId: a.units.commune,
          })),
        }),
        prisma.candidate.createMany({
          data: dataset.candidates.map((c) => ({
            candidateId: c.candidateId,
            unitId: c.unitId,
            level: c.level,
            fullName: c.fullName,
            gender: c.gender,
            birthDate: c.birthDate,
          })),
        }),
        prisma.referenceDataset.create({
          data: {
            datasetId: dataset.electionId,
            seed,
            sha256,
            electionDate: dataset.electionDate,
            communes: dataset.communes.length,
            pollingAreas: dataset.pollingAreas.length,
            votersOnList,
          },
        }),
      ],
      { isolationLevel: 'Serializable' },
    );
    return { loaded: true, seed, sha256, counts };
  } finally {
    await prisma.$disconnect();
  }
}
