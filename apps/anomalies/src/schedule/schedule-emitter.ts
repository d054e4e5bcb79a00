// Appends the election day's schedule events (reporting rounds closing, the minutes deadline) as a
// clock reaches them: the wall clock in production, the simulator's compressed clock in a drill.
// Event ids are deterministic, so two instances (or a restart) record each event once.
import { electionSchedule, type ScheduleConfig, type ScheduledEvent } from '@hpe/domain';
import type { LedgerClient } from '@hpe/ledger-client';
import type { Clock } from '@hpe/service-kit';
import type { LogSink } from '@hpe/telemetry';

export interface ScheduleEmitterDeps {
  readonly ledger: Pick<LedgerClient, 'append'>;
  readonly clock: Clock;
  readonly electionDates: readonly string[];
  readonly config: ScheduleConfig;
  readonly log: LogSink;
  readonly pollMs: number;
}

export const scheduleActor = { id: 'schedule', role: 'system' } as const;

export class ScheduleEmitter {
  private readonly pending: ScheduledEvent[];
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<number> | undefined;

  constructor(private readonly deps: ScheduleEmitterDeps) {
    this.pending = deps.electionDates
      .flatMap((date) => electionSchedule(date, deps.config))
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.deps.pollMs);
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** Appends what has fallen due, oldest first; how many were appended (or found recorded). */
  tick(): Promise<number> {
    this.ticking ??= this.appendDue().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async appendDue(): Promise<number> {
    const now = this.deps.clock().getTime();
    let done = 0;
    while (this.pending.length > 0) {
      const next = this.pending[0];
      if (next === undefined || Date.parse(next.at) > now) break;
      const result = await this.deps.ledger.append({
        streamId: next.streamId,
        expectedRevision: 'any',
        events: [
          {
            eventId: next.eventId,
            type: next.event.type,
            schemaVersion: 1,
            streamId: next.streamId,
            data: { ...next.event.data },
            // Every field is fixed by the schedule: the same append from another instance is a
            // duplicate of this one.
            metadata: {
              occurredAt: next.at,
              actor: { ...scheduleActor },
              correlationId: next.streamId,
            },
          },
        ],
      });
      if (!result.ok) {
        // Tried again on the next tick; the detector only reads what is recorded.
        this.deps.log.warn({ error: result.error, at: next.at }, 'schedule event not appended yet');
        break;
      }
      this.deps.log.info(
        { type: next.event.type, at: next.at, duplicate: result.value.duplicate === true },
        'schedule event recorded',
      );
      this.pending.shift();
      done += 1;
    }
    return done;
  }
}
