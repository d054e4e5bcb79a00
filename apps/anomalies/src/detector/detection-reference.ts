// The reference data the detector judges with: each area's commune (for the invalid-share medians)
// and each unit's seats and candidates (for the full minute arithmetic), read once at start.
import type { DetectionReference } from '@hpe/domain';
import type { PrismaClient } from '@hpe/read-models';

export async function loadDetectionReference(prisma: PrismaClient): Promise<DetectionReference> {
  const [areas, units] = await Promise.all([
    prisma.pollingArea.findMany({ select: { pollingAreaId: true, communeId: true } }),
    prisma.electoralUnit.findMany({
      select: { unitId: true, seats: true, candidates: { select: { candidateId: true } } },
    }),
  ]);
  const communes = new Map(areas.map((a) => [a.pollingAreaId, a.communeId]));
  const unitMap = new Map(
    units.map((u) => [
      u.unitId,
      { seats: u.seats, candidateIds: u.candidates.map((c) => c.candidateId) },
    ]),
  );
  return {
    communeOf: (pollingAreaId) => communes.get(pollingAreaId),
    unitOf: (unitId) => unitMap.get(unitId),
  };
}
