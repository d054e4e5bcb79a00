// Declaring an electoral unit's result: the current (latest-correction) minute of each of the
// unit's polling areas is read from its tally stream, the result is computed by decideUnitResult
// and offered to the declaration decider, which refuses while an area is missing or once declared.
import {
  codedError,
  currentMinute,
  decideUnitResult,
  err,
  foldEvents,
  ok,
  ResultEvent,
  resultDeclarationDecider,
  resultStreamId,
  TallyEvent,
  tallyDecider,
  tallyStreamId,
  type CountingMinute,
  type Level,
  type Result,
  type UnitResult,
} from '@hpe/domain';
import type { LedgerError } from '@hpe/ledger-client';
import {
  eventReader,
  type CommandMetadata,
  type CommandReply,
  type StreamCommandRunner,
} from '@hpe/service-kit';
import type { UnitDirectory, UnitReference } from './unit-directory.js';

/** Code this service adds: no electoral unit with this id at this level (a 404 at the gateway). */
export const unknownUnitCode = 'RESULT.UNKNOWN_UNIT';

/** Tally streams read at once: a National Assembly unit has hundreds of areas. */
const READ_CONCURRENCY = 32;

const toTallyEvent = eventReader(TallyEvent, 'tally');
const toResultEvent = eventReader(ResultEvent, 'election result');

export interface DeclareRequest {
  readonly level: Level;
  readonly unitId: string;
  readonly at: string;
  readonly by: string;
}

interface AreaMinute {
  readonly pollingAreaId: string;
  readonly minute: CountingMinute;
}

export class ResultDeclarations {
  constructor(
    private readonly runner: StreamCommandRunner,
    private readonly directory: UnitDirectory,
  ) {}

  async declare(request: DeclareRequest, metadata: CommandMetadata): Promise<CommandReply> {
    const { level, unitId } = request;
    const unit = await this.directory.unit(level, unitId);
    if (unit === null) {
      return err(
        codedError(unknownUnitCode, `there is no ${level} electoral unit ${unitId}`, {
          level,
          unitId,
        }),
      );
    }
    const result = await this.currentResult(unit);
    if (!result.ok) return result;
    return this.runner.run(
      {
        streamId: resultStreamId(level, unitId),
        command: {
          type: 'DeclareUnitResult',
          data: { level, unitId, result: result.value, declaredAt: request.at, by: request.by },
        },
        decider: resultDeclarationDecider,
        toEvent: toResultEvent,
      },
      metadata,
    );
  }

  /** The unit's result on the minutes recorded so far (`counting` while an area is missing). */
  async currentResult(unit: UnitReference): Promise<Result<UnitResult, LedgerError>> {
    const minutes = await this.currentMinutes(unit);
    if (!minutes.ok) return minutes;
    const reported = new Map(minutes.value.map((m) => [m.pollingAreaId, m.minute]));
    // The list each reported minute carries was checked against the area's list after transfers;
    // an area not in yet counts with its registered list.
    const votersOnList = unit.areas.reduce(
      (total, area) =>
        total + (reported.get(area.pollingAreaId)?.votersOnList ?? area.votersOnList),
      0,
    );
    return ok(
      decideUnitResult({
        unitId: unit.unitId,
        level: unit.level,
        seats: unit.seats,
        votersOnList,
        candidates: unit.candidates,
        minutes: minutes.value,
        areasTotal: unit.areas.length,
      }),
    );
  }

  private async currentMinutes(
    unit: UnitReference,
  ): Promise<Result<readonly AreaMinute[], LedgerError>> {
    const found: AreaMinute[] = [];
    let failure: LedgerError | undefined;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (failure === undefined) {
        const area = unit.areas[next];
        next += 1;
        if (area === undefined) return;
        const loaded = await this.runner.load({
          streamId: tallyStreamId(area.pollingAreaId, unit.level),
          toEvent: toTallyEvent,
        });
        if (!loaded.ok) {
          failure = loaded.error;
          return;
        }
        const current = currentMinute(foldEvents(tallyDecider, loaded.value.history));
        if (current !== undefined)
          found.push({ pollingAreaId: area.pollingAreaId, minute: current.minute });
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(READ_CONCURRENCY, unit.areas.length) }, worker),
    );
    if (failure !== undefined) return err(failure);
    // Areas in id order, whatever order the reads finished in: the result does not depend on it,
    // but a reader comparing two runs should not have to sort.
    found.sort((a, b) => (a.pollingAreaId < b.pollingAreaId ? -1 : 1));
    return ok(found);
  }
}
