// `tallies.declare-result {level, unitId, actor, correlationId, causationId?, traceparent?}`: the
// unit to declare; its result is computed here from the recorded minutes, never sent in.
import { DeclareUnitResult } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';
import type { DeclareRequest } from '../shared/result-declarations.js';

export const DeclareResultPayload = DeclareUnitResult.shape.data
  .pick({ level: true, unitId: true })
  .extend(commandSenderShape);
export type DeclareResultPayload = ReturnType<typeof DeclareResultPayload.parse>;

export function toDeclareRequest(payload: DeclareResultPayload, at: string): DeclareRequest {
  return { level: payload.level, unitId: payload.unitId, at, by: payload.actor.id };
}
