// The pages of a `ledger.read.streams` reply share one NATS message: each read's events are kept
// while they fit in the bytes left, in request order; a page that is cut (or left empty) says where
// to read on, so nothing is ever lost, only deferred to a `ledger.read.stream` of its own.
import type { RecordedEvent } from '@hpe/domain';
import type { EventsPage } from '@hpe/ledger-client';

export interface PagedRead {
  readonly fromRevision: number;
  readonly limit: number;
}

/** Room for one page's own envelope (`{"events":[],"nextFrom":…}`). */
const pageOverheadBytes = 64;

export function fitStreamPages(
  reads: readonly PagedRead[],
  found: readonly (readonly RecordedEvent[])[],
  budgetBytes: number,
): EventsPage[] {
  let left = budgetBytes;
  return reads.map((read, index): EventsPage => {
    const events = found[index] ?? [];
    const fitting: RecordedEvent[] = [];
    left -= pageOverheadBytes;
    for (const event of events) {
      const size = Buffer.byteLength(JSON.stringify(event), 'utf8') + 1;
      if (size > left) break;
      left -= size;
      fitting.push(event);
    }
    const last = fitting.at(-1);
    const more = fitting.length < events.length || events.length === read.limit;
    if (!more) return { events: fitting };
    return {
      events: fitting,
      nextFrom: last === undefined ? read.fromRevision : last.streamRevision + 1,
    };
  });
}
