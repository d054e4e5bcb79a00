// What every command answers over NATS: `{ok: true, value}` or `{ok: false, error}` with a
// stable code (domain codes such as TURNOUT.DECREASED and ledger
// codes such as STALE_REVISION kept exactly as they came), the shape the ledger's own protocol uses.
import { codedError, err, type CodedError, type Result } from '@hpe/domain';

export interface CommandAccepted {
  /** The ids of the events appended, in order (the registration first when it was needed). */
  readonly eventIds: readonly string[];
  /** The global position of the last of them. */
  readonly position: number;
}

export type CommandReply = Result<CommandAccepted, CodedError>;

/** Codes the services add to the domain's and the ledger's. */
export const serviceErrorCodes = {
  /** The payload is not JSON or not the command's shape. */
  validationFailed: 'VALIDATION_FAILED',
  /** A bug or a broken invariant (logged); nothing was appended by this request. */
  internal: 'INTERNAL_ERROR',
} as const;

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** A refused payload, naming at most ten issues (path and message, never the offending values). */
export function validationFailed(message: string, issues: readonly Issue[] = []): CommandReply {
  return err(
    codedError(
      serviceErrorCodes.validationFailed,
      message,
      issues.length === 0
        ? undefined
        : {
            issues: issues.slice(0, 10).map((i) => ({
              path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)).join('.'),
              message: i.message,
            })),
          },
    ),
  );
}
