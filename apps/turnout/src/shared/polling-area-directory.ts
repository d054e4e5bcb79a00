// Where the service learns what it needs to register an area on its first command: the size of its
// list and the day it votes, from the reference tables (polling_area, commune) of the read models.
import type { PrismaClient } from '@hpe/read-models';

export interface PollingAreaReference {
  readonly pollingAreaId: string;
  readonly votersOnList: number;
  readonly electionDate: string;
}

export interface PollingAreaDirectory {
  /** The area as the reference data has it; null for an id it does not know. */
  find(pollingAreaId: string): Promise<PollingAreaReference | null>;
}

export class PrismaPollingAreaDirectory implements PollingAreaDirectory {
  constructor(private readonly prisma: PrismaClient) {}

  async find(pollingAreaId: string): Promise<PollingAreaReference | null> {
    const area = await this.prisma.pollingArea.findUnique({
      where: { pollingAreaId },
      select: { votersOnList: true, commune: { select: { electionDate: true } } },
    });
    if (area === null) return null;
    return {
      pollingAreaId,
      votersOnList: area.votersOnList,
      electionDate: area.commune.electionDate,
    };
  }
}
