// Which commune a polling area lies in, from the reference tables (polling_area) of the read
// models: an incident records it so commune accounts and `?communeId=` can filter on it later.
import type { PrismaClient } from '@hpe/read-models';

export interface PollingAreaCommunes {
  /** The area's commune; null for an id the reference data does not know. */
  communeOf(pollingAreaId: string): Promise<string | null>;
}

export class PrismaPollingAreaCommunes implements PollingAreaCommunes {
  constructor(private readonly prisma: PrismaClient) {}

  async communeOf(pollingAreaId: string): Promise<string | null> {
    const area = await this.prisma.pollingArea.findUnique({
      where: { pollingAreaId },
      select: { communeId: true },
    });
    return area?.communeId ?? null;
  }
}
