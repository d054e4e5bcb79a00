// The exercise clock of a drill (the demo, a rehearsal, a load test): the simulator publishes the
// election day's time on NATS as it compresses the day, and every service in drill mode reads it,
// so "now", polling hours and the schedule's reporting rounds follow the drill, not the calendar.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';

/** A source of "now" (the service kit's command clock has this shape). */
export type Clock = () => Date;

/** Core NATS subject of the drill clock's ticks: `{"now": "<ISO 8601>"}`. */
export const drillClockSubject = 'hpe.drill.clock';

/** The clock settings every service reads: the calendar (production) or the drill's clock. */
export type ClockMode = 'wall' | 'drill';

/** Publishes one tick; the clock only moves forward, so an older tick is ignored by readers. */
export function publishDrillTime(nc: NatsConnection, now: Date): void {
  nc.publish(drillClockSubject, JSON.stringify({ now: now.toISOString() }));
}

/**
 * Follows the drill's ticks. `now()` is the latest tick, or undefined before the first one; ticks
 * that are not JSON with an ISO `now` are ignored (the subject is open to any client).
 */
export class DrillClock {
  private latest: number | undefined;
  private readonly subscription: Subscription;

  constructor(nc: NatsConnection) {
    this.subscription = nc.subscribe(drillClockSubject, {
      callback: (error, message) => {
        if (error !== null) return;
        const at = parseTick(message.string());
        if (at !== undefined && (this.latest === undefined || at > this.latest)) this.latest = at;
      },
    });
  }

  now(): Date | undefined {
    return this.latest === undefined ? undefined : new Date(this.latest);
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}

function parseTick(text: string): number | undefined {
  try {
    const body = JSON.parse(text) as { now?: unknown };
    if (typeof body.now !== 'string') return undefined;
    const at = Date.parse(body.now);
    return Number.isFinite(at) ? at : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The clock commands are decided at in `mode`: the calendar, or the drill's time once it ticks (the
 * calendar until then, so a drill stack still answers a hand-made request before any simulator runs).
 */
export function commandClock(mode: ClockMode, drill: DrillClock | undefined): Clock {
  if (mode === 'wall' || drill === undefined) return () => new Date();
  return () => drill.now() ?? new Date();
}
