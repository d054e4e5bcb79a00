// Who reported an incident, read from the first event of its stream in the ledger (the envelope's
// actor): a note from outside the triage roles is taken only from the account that filed it.
import { Inject, Injectable } from '@nestjs/common';
import { incidentStreamId } from '@hpe/domain';
import { LedgerClient } from '@hpe/ledger-client';
import { retryAfterSeconds } from '../commands/command-reply-mapping.js';
import { ProblemException } from '../problem.filter.js';

@Injectable()
export class IncidentFilers {
  constructor(@Inject(LedgerClient) private readonly ledger: LedgerClient) {}

  /** The username that reported the incident; undefined when there is no such incident. */
  async filerOf(incidentId: string): Promise<string | undefined> {
    const page = await this.ledger.readStream(incidentStreamId(incidentId), { limit: 1 });
    if (!page.ok) {
      throw new ProblemException(503, 'UNAVAILABLE', 'The ledger is not available; retry later.', {
        headers: { 'retry-after': String(retryAfterSeconds) },
      });
    }
    const first = page.value.events[0];
    return first?.type === 'IncidentReported' ? first.metadata.actor.id : undefined;
  }
}
