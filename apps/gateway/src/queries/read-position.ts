// How far the read models have got: the lowest checkpoint of the projections (a query answers "as
// of" it), and read-your-writes — `?minPosition=N` waits until every projection has applied N.
import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@hpe/read-models';
import { ProblemException } from '../problem.filter.js';
import { PRISMA } from '../tokens.js';

/** api.md: a query waits up to 5 s for its minPosition, then answers 503 with Retry-After. */
export const minPositionWaitMs = 5_000;
const pollMs = 25;

@Injectable()
export class ReadPosition {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** The position every projection has applied (0 before the projector's first batch). */
  async asOf(): Promise<number> {
    const checkpoints = await this.prisma.projectionCheckpoint.findMany({
      select: { position: true },
    });
    if (checkpoints.length === 0) return 0;
    return Number(
      checkpoints.reduce(
        (min, c) => (c.position < min ? c.position : min),
        checkpoints[0]?.position ?? 0n,
      ),
    );
  }

  /** Resolves with the position once it is at least `minPosition`; 503 after the wait. */
  async atLeast(minPosition: number | undefined, waitMs = minPositionWaitMs): Promise<number> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const position = await this.asOf();
      if (minPosition === undefined || position >= minPosition) return position;
      if (Date.now() >= deadline) {
        throw new ProblemException(
          503,
          'NOT_YET_VISIBLE',
          `The read models are at position ${position}, not yet ${minPosition}; retry shortly.`,
          { headers: { 'retry-after': '1' } },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
