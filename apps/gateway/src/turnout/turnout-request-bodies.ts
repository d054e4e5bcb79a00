// The HTTP bodies of the three commands: the domain's command data without the area id, which
// comes from the path. Strict, so an extra field is refused rather than dropped.
import { ClosePollingArea, OpenPollingArea, ReportTurnout } from '@hpe/domain';

export const OpenPollingAreaBody = OpenPollingArea.shape.data.omit({ pollingAreaId: true });
export const ReportTurnoutBody = ReportTurnout.shape.data.omit({ pollingAreaId: true });
export const ClosePollingAreaBody = ClosePollingArea.shape.data.omit({ pollingAreaId: true });
