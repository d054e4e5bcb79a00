// Links an event into the chain: given the previous hash, the prevHash/hash pair it must carry.
// The writer has a faster batch path; this one serves the KurrentDB adapter, tools and tests.
import { canonicalEventJson, type HashedEventFields } from './canonical-event.js';
import { chainHashOfJson } from './chain-hash.js';

export interface ChainLink {
  readonly prevHash: string;
  readonly hash: string;
}

export function sealEvent<E extends HashedEventFields>(event: E, prevHash: string): E & ChainLink {
  const hash = chainHashOfJson(prevHash, canonicalEventJson(event));
  return { ...event, prevHash, hash };
}

/** Seals a run of events in order, starting from `prevHash` (the genesis value for a new log). */
export function sealEvents<E extends HashedEventFields>(
  events: Iterable<E>,
  prevHash: string,
): (E & ChainLink)[] {
  const sealed: (E & ChainLink)[] = [];
  let prev = prevHash;
  for (const event of events) {
    const next = sealEvent(event, prev);
    sealed.push(next);
    prev = next.hash;
  }
  return sealed;
}
