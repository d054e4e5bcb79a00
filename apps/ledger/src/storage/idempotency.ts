// Idempotency by event id, the same for every store: an append whose events are all recorded with
// the same content answers with their original positions; other content or a mix is refused.
import { codedError, err, ok } from '@hpe/domain';
import type { ValidatedAppend, ValidatedEvent } from './append-request.js';
import type { AppendResult } from './event-store.js';

/** Where a recorded event sits: all an idempotent answer needs. */
export interface RecordedPlace {
  readonly position: number;
  readonly streamRevision: number;
}

export function partialDuplicate(recorded: number, missing: readonly string[]): AppendResult {
  return err(
    codedError(
      'PARTIAL_DUPLICATE',
      'some events of this append are already recorded and some are not; send them as separate appends',
      { recorded, missing },
    ),
  );
}

/**
 * Checked before the expected revision, so a retry of an append that went through is not refused
 * as stale. Undefined when none of the events is recorded: a new append.
 */
export function idempotencyOutcome<T extends RecordedPlace>(
  append: ValidatedAppend,
  originalOf: (eventId: string) => T | undefined,
  sameAsRecorded: (original: T, event: ValidatedEvent) => boolean,
): AppendResult | undefined {
  const matches: T[] = [];
  const conflicting: string[] = [];
  const missing: string[] = [];
  for (const event of append.events) {
    const original = originalOf(event.eventId);
    if (original === undefined) missing.push(event.eventId);
    else if (!sameAsRecorded(original, event)) conflicting.push(event.eventId);
    else matches.push(original);
  }
  if (conflicting.length > 0) {
    return err(
      codedError(
        'EVENT_ID_CONFLICT',
        `event id(s) ${conflicting.join(', ')} are already recorded with other content`,
        { eventIds: conflicting },
      ),
    );
  }
  if (matches.length === 0) return undefined;
  if (missing.length > 0) return partialDuplicate(matches.length, missing);
  const positions = matches.map((m) => m.position);
  const last = matches.at(-1);
  // matches has one entry per event and an append is never empty.
  if (last === undefined) throw new Error('idempotent append with no events');
  return ok({
    positions: [Math.min(...positions), Math.max(...positions)] as const,
    nextRevision: last.streamRevision,
    eventIds: append.events.map((e) => e.eventId),
    duplicate: true,
  });
}
