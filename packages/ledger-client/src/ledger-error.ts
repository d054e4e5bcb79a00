// The one error type of the ledger client: a coded error whose code survived the trip across NATS,
// or names what went wrong on the way (no ledger answered, a reply made no sense).
import { codedError, type CodedError } from '@hpe/domain';
import type { LedgerErrorCode } from './wire.js';

export type LedgerError = CodedError<LedgerErrorCode>;

export function ledgerError(
  code: LedgerErrorCode,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): LedgerError {
  return codedError(code, message, details);
}
