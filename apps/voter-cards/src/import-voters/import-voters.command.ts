// `voters.import-batch {rows: [{line, citizenId, fullName, birthYear, gender?, pollingAreaId,
// cardNumber}] (1–1,000), actor, correlationId, causationId?, traceparent?}`: rows of the NDJSON
// import as the gateway parsed them, each with its line number so every answer can name the line.
import { VoterImportRow } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';
import { z } from 'zod';

/** Rows in one NATS request: about 200 kB, well under the NATS payload limit. */
export const maxImportBatchRows = 1_000;

export const ImportBatchRow = VoterImportRow.extend({ line: z.int().min(1) });
export type ImportBatchRow = z.infer<typeof ImportBatchRow>;

export const ImportVotersBatchPayload = z.strictObject({
  rows: z.array(ImportBatchRow).min(1).max(maxImportBatchRows),
  ...commandSenderShape,
});
export type ImportVotersBatchPayload = z.infer<typeof ImportVotersBatchPayload>;

/** What one batch did, row by row where a row did not simply register. */
export interface ImportBatchResult {
  readonly eventIds: readonly string[];
  /** The highest position appended by this batch (0 when it appended nothing). */
  readonly position: number;
  readonly imported: number;
  /** Rows already registered exactly so (an import run again): nothing new recorded. */
  readonly unchanged: number;
  /** Citizens already on a list: DuplicateRegistrationRefused recorded on their stream. */
  readonly duplicates: readonly {
    readonly line: number;
    readonly pollingAreaId: string;
    readonly registeredPollingAreaId: string;
  }[];
  readonly rejected: readonly {
    readonly line: number;
    readonly code: string;
    readonly message: string;
  }[];
}
