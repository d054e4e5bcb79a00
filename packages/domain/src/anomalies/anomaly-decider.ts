// The anomaly decider: detected → acknowledged → dismissed. An operator acknowledges an open anomaly
// (someone is on it) and dismisses an open or acknowledged one with a reason; dismissal is final.
import { assert, assertNever, InvariantError } from '../assert.js';
import type { Decider } from '../decider.js';
import { codedError, err, ok } from '../result.js';
import type { CodedError, Result } from '../result.js';
import type { AnomalyCommand, AnomalyEvent } from './anomaly-events.js';
import type { AnomalyKind } from './anomaly-values.js';

export const anomalyStatuses = ['open', 'acknowledged', 'dismissed'] as const;
export type AnomalyStatus = (typeof anomalyStatuses)[number];

export const anomalyErrorCodes = [
  'ANOMALY.NOT_FOUND',
  'ANOMALY.ALREADY_ACKNOWLEDGED',
  'ANOMALY.ALREADY_DISMISSED',
] as const;
export type AnomalyErrorCode = (typeof anomalyErrorCodes)[number];

export interface KnownAnomaly {
  readonly status: AnomalyStatus;
  readonly anomalyId: string;
  readonly kind: AnomalyKind;
}
export type AnomalyState = { readonly status: 'none' } | KnownAnomaly;

type Decision = Result<readonly AnomalyEvent[], CodedError<AnomalyErrorCode>>;

const reject = (code: AnomalyErrorCode, message: string, anomalyId: string): Decision =>
  err(codedError(code, message, { anomalyId }));

function decide(command: AnomalyCommand, state: AnomalyState): Decision {
  const { anomalyId } = command.data;
  if (state.status === 'none')
    return reject('ANOMALY.NOT_FOUND', `no anomaly ${anomalyId}`, anomalyId);
  // The service loads the stream named after the command's anomaly: any other is a bug.
  assert(state.anomalyId === anomalyId, `command for ${anomalyId} on ${state.anomalyId}`);
  if (state.status === 'dismissed')
    return reject('ANOMALY.ALREADY_DISMISSED', `anomaly ${anomalyId} is dismissed`, anomalyId);
  switch (command.type) {
    case 'AcknowledgeAnomaly':
      if (state.status === 'acknowledged')
        return reject(
          'ANOMALY.ALREADY_ACKNOWLEDGED',
          `anomaly ${anomalyId} is already acknowledged`,
          anomalyId,
        );
      return ok([{ type: 'AnomalyAcknowledged', data: { anomalyId, note: command.data.note } }]);
    case 'DismissAnomaly':
      return ok([{ type: 'AnomalyDismissed', data: { anomalyId, reason: command.data.reason } }]);
    default:
      return assertNever(command, 'anomaly command');
  }
}

function known(state: AnomalyState, event: AnomalyEvent): KnownAnomaly {
  if (state.status === 'none') throw new InvariantError(`${event.type} on an unknown anomaly`);
  return state;
}

function evolve(state: AnomalyState, event: AnomalyEvent): AnomalyState {
  switch (event.type) {
    case 'AnomalyDetected':
      return { status: 'open', anomalyId: event.data.anomalyId, kind: event.data.kind };
    case 'AnomalyAcknowledged':
      return { ...known(state, event), status: 'acknowledged' };
    case 'AnomalyDismissed':
      return { ...known(state, event), status: 'dismissed' };
    default:
      return assertNever(event, 'anomaly event');
  }
}

export const anomalyDecider: Decider<AnomalyCommand, AnomalyEvent, AnomalyState, AnomalyErrorCode> =
  {
    initialState: () => ({ status: 'none' }),
    decide: (command, state) => decide(command, state),
    evolve,
  };
