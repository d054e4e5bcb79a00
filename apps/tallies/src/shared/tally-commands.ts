// How a counting minute is submitted or corrected: the area's unit at the level, its seats and
// candidates from the reference data, the area's list (after transfers) and, for a correction,
// whether the unit's result is declared are handed to the tally decider with the command, which
// checks every rule; the stream is tally-<pollingAreaId>-<level>.
import {
  codedError,
  err,
  foldEvents,
  InvariantError,
  ok,
  ResultEvent,
  resultDeclarationDecider,
  resultStreamId,
  TallyEvent,
  tallyDecider,
  tallyRejectionOf,
  tallyStreamId,
  type CountingMinute,
  type Level,
  type Result,
  type CodedError,
  type TallyCommand,
} from '@hpe/domain';
import {
  eventReader,
  type CommandMetadata,
  type CommandReply,
  type StreamCommandRunner,
} from '@hpe/service-kit';
import { areaListAt } from './area-list.js';
import type { UnitDirectory } from './unit-directory.js';

/** Code this service adds: the reference data has no such polling area (a 404 at the gateway). */
export const unknownAreaCode = 'POLLING.UNKNOWN_AREA';

const toTallyEvent = eventReader(TallyEvent, 'tally');
const toResultEvent = eventReader(ResultEvent, 'election result');

export interface MinuteRequest {
  readonly pollingAreaId: string;
  readonly level: Level;
  readonly minute: CountingMinute;
  /** When the service recorded it (its clock), and who sent it. */
  readonly at: string;
  readonly by: string;
}

type MinuteData = Omit<TallyCommand['data'], 'submittedAt' | 'correctedAt' | 'reason'>;

export class TallyCommands {
  constructor(
    private readonly runner: StreamCommandRunner,
    private readonly directory: UnitDirectory,
  ) {}

  submit(request: MinuteRequest, metadata: CommandMetadata): Promise<CommandReply> {
    return this.run(
      request,
      (data) => ({ type: 'SubmitCountingMinute', data: { ...data, submittedAt: request.at } }),
      metadata,
      // A unit is declared only once all its areas have a minute: a submission cannot meet one.
      false,
    );
  }

  correct(
    request: MinuteRequest & { readonly reason: string },
    metadata: CommandMetadata,
  ): Promise<CommandReply> {
    return this.run(
      request,
      (data) => ({
        type: 'CorrectCountingMinute',
        data: { ...data, correctedAt: request.at, reason: request.reason },
      }),
      metadata,
      true,
    );
  }

  private async run(
    request: MinuteRequest,
    command: (data: MinuteData) => TallyCommand,
    metadata: CommandMetadata,
    lookUpDeclaration: boolean,
  ): Promise<CommandReply> {
    const data = await this.commandData(request, lookUpDeclaration);
    if (!data.ok) return data;
    return this.runner.run(
      {
        streamId: tallyStreamId(request.pollingAreaId, request.level),
        command: command(data.value),
        decider: tallyDecider,
        toEvent: toTallyEvent,
        // A minute whose arithmetic fails is recorded, then answered with its codes.
        rejectionOf: tallyRejectionOf,
      },
      metadata,
    );
  }

  /** The command's data with what the reference data and the turnout stream say about the area. */
  private async commandData(
    request: MinuteRequest,
    lookUpDeclaration: boolean,
  ): Promise<Result<MinuteData, CodedError>> {
    const { pollingAreaId, level } = request;
    const area = await this.directory.area(pollingAreaId);
    if (area === null) {
      return err(
        codedError(unknownAreaCode, `the reference data has no polling area ${pollingAreaId}`, {
          pollingAreaId,
        }),
      );
    }
    const unitId = area.units[level];
    const unit = await this.directory.unit(level, unitId);
    // The reference data is validated when it is loaded: an area pointing nowhere is a bug there.
    if (unit === null)
      throw new InvariantError(`${pollingAreaId} names ${level} unit ${unitId}, unknown`);
    const [votersOnList, declared] = await Promise.all([
      areaListAt(this.runner, area, level),
      lookUpDeclaration ? this.isDeclared(level, unitId) : Promise.resolve(ok(false)),
    ]);
    if (!votersOnList.ok) return votersOnList;
    if (!declared.ok) return declared;
    return ok({
      pollingAreaId,
      level,
      unitId,
      minute: request.minute,
      unit: {
        seats: unit.seats,
        candidateIds: unit.candidates.map((c) => c.candidateId),
        votersOnList: votersOnList.value,
        ...(lookUpDeclaration ? { resultDeclared: declared.value } : {}),
      },
      by: request.by,
    });
  }

  /**
   * Whether the unit's result stands declared. A declaration racing this correction can still
   * land first; the declared event keeps the figures it was made on either way.
   */
  private async isDeclared(level: Level, unitId: string): Promise<Result<boolean, CodedError>> {
    const loaded = await this.runner.load({
      streamId: resultStreamId(level, unitId),
      toEvent: toResultEvent,
    });
    if (!loaded.ok) return loaded;
    return ok(foldEvents(resultDeclarationDecider, loaded.value.history).declared !== undefined);
  }
}
