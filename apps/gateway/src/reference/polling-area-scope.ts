// Scope checks for commands about one polling area: an id that is not an area's is a 404, an area
// outside the caller's commune or own area a 403 (design/api.md's role table, "own" columns).
import { Inject, Injectable } from '@nestjs/common';
import { PollingAreaId } from '@hpe/domain';
import { canActForPollingArea } from '../auth/access-policy.js';
import { forbiddenScope } from '../auth/auth-errors.js';
import type { Principal } from '../auth/principal.js';
import { ProblemException } from '../problem.filter.js';
import { PollingAreaCommunes } from './polling-area-communes.js';

function noSuchArea(pollingAreaId: string): ProblemException {
  return new ProblemException(404, 'NOT_FOUND', `No polling area ${pollingAreaId}.`);
}

@Injectable()
export class PollingAreaScope {
  constructor(@Inject(PollingAreaCommunes) private readonly communes: PollingAreaCommunes) {}

  /** A path id that cannot be an area's id is a 404 before anything else is looked at. */
  assertWellFormed(pollingAreaId: string): void {
    if (!PollingAreaId.safeParse(pollingAreaId).success) throw noSuchArea(pollingAreaId);
  }

  /** The area's commune; 404 for an area the reference data does not have. */
  async communeOf(pollingAreaId: string): Promise<string> {
    const communeId = await this.communes.communeOf(pollingAreaId);
    if (communeId === undefined) throw noSuchArea(pollingAreaId);
    return communeId;
  }

  /** Throws 404 for an unknown area and 403 FORBIDDEN_SCOPE when the caller may not act for it. */
  async assertMayAct(principal: Principal, pollingAreaId: string): Promise<void> {
    const communeId = await this.communeOf(pollingAreaId);
    if (!canActForPollingArea(principal, pollingAreaId, communeId)) {
      throw forbiddenScope(`${principal.username} may not act for polling area ${pollingAreaId}.`);
    }
  }
}
