// Reads a range of the log from the ledger (ledger.read.all), page by page: how the projector heals
// a gap in what JetStream delivered and how a rebuild replays.
import type { RecordedEvent } from '@hpe/domain';
import { LedgerRequestError, type LedgerClient } from '@hpe/ledger-client';

/** The ledger serves at most 1,000 events per read. */
const pageLimit = 1_000;

/** Events from `from` to `to` inclusive, in position order; throws if the log ends before `to`. */
export async function* ledgerPages(
  ledger: LedgerClient,
  from: number,
  to: number,
): AsyncGenerator<RecordedEvent[]> {
  let next = from;
  while (next <= to) {
    const page = await ledger.readAll({
      fromPosition: next,
      limit: Math.min(pageLimit, to - next + 1),
    });
    if (!page.ok) throw new LedgerRequestError(page.error);
    const events = page.value.events.filter((e) => e.position <= to);
    if (events.length === 0)
      throw new Error(`the ledger has no event at position ${next} (wanted up to ${to})`);
    for (const [i, e] of events.entries()) {
      if (e.position !== next + i) {
        throw new Error(
          `the ledger returned position ${e.position} where ${next + i} was expected`,
        );
      }
    }
    next += events.length;
    yield events;
  }
}

/** The whole range as one array (a gap is short: what JetStream skipped). */
export async function ledgerRange(
  ledger: LedgerClient,
  from: number,
  to: number,
): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const page of ledgerPages(ledger, from, to)) out.push(...page);
  return out;
}
