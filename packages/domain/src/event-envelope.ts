// The envelope every event travels in (design/architecture.md, "The event envelope"). The writer
// supplies the id, so a retried append is idempotent; the ledger adds position, revision and hashes.
import { z } from 'zod';

const uuidV7 = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    'must be a lower-case UUIDv7',
  );

export const streamCategories = [
  'voter',
  'turnout',
  'tally',
  'incident',
  'anomaly',
  'election',
  'schedule',
  'ledger',
] as const;
export const StreamCategory = z.enum(streamCategories);
export type StreamCategory = z.infer<typeof StreamCategory>;

/** `<category>-<id>`: the id may hold letters, digits, `_` and `-`, never a dot or a space. */
export const StreamId = z
  .string()
  .max(200)
  .regex(
    new RegExp(`^(${streamCategories.join('|')})-[A-Za-z0-9_-]+$`),
    'must be <category>-<id> with a known category',
  );
export type StreamId = z.infer<typeof StreamId>;

export const ActorRole = z.enum([
  'admin',
  'ops',
  'police',
  'auditor',
  'commune',
  'reporter',
  'system',
]);
export type ActorRole = z.infer<typeof ActorRole>;

export const EventMetadata = z
  .object({
    /** When the field says it happened, with its offset. */
    occurredAt: z.iso.datetime({ offset: true }),
    actor: z.object({ id: z.string().min(1).max(200), role: ActorRole }).strict(),
    correlationId: z.string().min(1).max(200),
    causationId: z.string().min(1).max(200).optional(),
    /** W3C trace context of the request that caused the event. */
    traceparent: z
      .string()
      .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
      .optional(),
  })
  .strict();
export type EventMetadata = z.infer<typeof EventMetadata>;

export const NewEvent = z
  .object({
    eventId: uuidV7,
    type: z
      .string()
      .regex(/^[A-Z][A-Za-z0-9]+$/, 'must be a PascalCase past-tense name')
      .max(100),
    schemaVersion: z.number().int().min(1).max(1_000),
    streamId: StreamId,
    data: z.record(z.string(), z.unknown()),
    metadata: EventMetadata,
  })
  .strict();
export type NewEvent = z.infer<typeof NewEvent>;

export const RecordedEvent = NewEvent.extend({
  position: z.number().int().min(1),
  streamRevision: z.number().int().min(0),
  recordedAt: z.iso.datetime({ offset: true }),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type RecordedEvent = z.infer<typeof RecordedEvent>;

export function streamCategory(streamId: StreamId): StreamCategory {
  const category = StreamCategory.safeParse(streamId.slice(0, streamId.indexOf('-')));
  if (!category.success) throw new Error(`stream id ${streamId} has no known category`);
  return category.data;
}
