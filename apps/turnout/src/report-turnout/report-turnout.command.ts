// `turnout.report {pollingAreaId, asOf, votersVoted, actor, correlationId, causationId?,
// traceparent?}`: the domain's ReportTurnout data plus who sent it; nothing else is accepted.
import { ReportTurnout } from '@hpe/domain';
import { commandSenderShape } from '@hpe/service-kit';

export const ReportTurnoutPayload = ReportTurnout.shape.data.extend(commandSenderShape);
export type ReportTurnoutPayload = ReturnType<typeof ReportTurnoutPayload.parse>;

export function toReportTurnout({
  pollingAreaId,
  asOf,
  votersVoted,
}: ReportTurnoutPayload): ReportTurnout {
  return { type: 'ReportTurnout', data: { pollingAreaId, asOf, votersVoted } };
}
