// The load → decide → append loop against an in-memory ledger that lets another writer slip in
// between the read and the append: the command is decided again on the new history. The turnout
// decider stands in for any aggregate; its registration prelude shows the first-command hook.
import {
  codedError,
  err,
  ok,
  TurnoutEvent,
  turnoutDecider,
  type NewEvent,
  type RecordedEvent,
  type ReportTurnout,
  type TurnoutCommand,
} from '@hpe/domain';
import type { AppendRequest } from '@hpe/ledger-client';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import {
  eventReader,
  StreamCommandRunner,
  type CommandMetadata,
  type LedgerPort,
} from './stream-command-runner.js';

const pollingAreaId = 'PA-10507-001';
const streamId = `turnout-${pollingAreaId}`;
const metadata: CommandMetadata = {
  occurredAt: '2026-03-15T09:00:00+07:00',
  actor: { id: 'pa-PA-10507-001', role: 'reporter' },
  correlationId: 'c-1',
};
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

interface MemoryLedger {
  readonly events: RecordedEvent[];
  appends: number;
  write(newEvents: readonly NewEvent[]): void;
}

/** One stream in memory; `beforeAppend` runs once per append, as a concurrent writer would. */
function memoryLedger(beforeAppend: (ledger: MemoryLedger) => void = () => undefined) {
  const events: RecordedEvent[] = [];
  const ledger: MemoryLedger = {
    events,
    appends: 0,
    write(newEvents: readonly NewEvent[]) {
      for (const e of newEvents) {
        events.push({
          ...e,
          position: events.length + 1,
          streamRevision: events.length,
          recordedAt: '2026-03-15T02:00:00Z',
          prevHash: '0'.repeat(64),
          hash: '0'.repeat(64),
        });
      }
    },
  };
  const port: LedgerPort = {
    readStream: async () => ok({ events: [...events] }),
    head: async () => ok({ position: events.length, hash: '0'.repeat(64) }),
    append: async (request: AppendRequest) => {
      ledger.appends += 1;
      beforeAppend(ledger);
      const actual = events.length === 0 ? 'no_stream' : events.length - 1;
      if (request.expectedRevision !== actual) {
        return err(
          codedError('STALE_REVISION', 'stale', { expected: request.expectedRevision, actual }),
        );
      }
      ledger.write(request.events);
      return ok({
        positions: [events.length - request.events.length + 1, events.length] as [number, number],
        nextRevision: events.length,
        eventIds: request.events.map((e) => e.eventId),
      });
    },
  };
  return { ledger, port };
}

/** Runs a turnout command the way the turnout service does: registration first on an empty stream. */
function runner(port: LedgerPort, staleRetries = 3) {
  const kit = new StreamCommandRunner({
    ledger: port,
    clock: () => new Date('2026-03-15T20:00:00+07:00'),
    newEventId: () => uuidv7(),
    options: { staleRetries },
    log: silent,
  });
  return {
    run: (command: TurnoutCommand, meta: CommandMetadata) =>
      kit.run(
        {
          streamId,
          command,
          decider: turnoutDecider,
          toEvent: eventReader(TurnoutEvent, 'turnout'),
          prelude: async (stream) =>
            ok(
              stream.revision === 'no_stream'
                ? [
                    {
                      type: 'RegisterPollingArea' as const,
                      data: { pollingAreaId, votersOnList: 500, electionDate: '2026-03-15' },
                    },
                  ]
                : [],
            ),
        },
        meta,
      ),
  };
}

const report = (asOf: string, votersVoted: number): ReportTurnout => ({
  type: 'ReportTurnout',
  data: { pollingAreaId, asOf, votersVoted },
});

function event(type: string, data: Record<string, unknown>): NewEvent {
  return { eventId: uuidv7(), type, schemaVersion: 1, streamId, data, metadata };
}

const opened = [
  event('PollingAreaRegistered', { pollingAreaId, votersOnList: 500, electionDate: '2026-03-15' }),
  event('PollingAreaOpened', { pollingAreaId, at: '2026-03-15T07:00:00+07:00' }),
];

describe('StreamCommandRunner', () => {
  it('decides again after a stale revision and appends on the new history', async () => {
    let raced = false;
    const { ledger, port } = memoryLedger((l) => {
      if (raced) return;
      raced = true;
      l.write([
        event('TurnoutReported', {
          pollingAreaId,
          asOf: '2026-03-15T08:00:00+07:00',
          votersVoted: 50,
        }),
      ]);
    });
    ledger.write(opened);
    const reply = await runner(port).run(report('2026-03-15T09:00:00+07:00', 80), metadata);
    expect(reply.ok).toBe(true);
    expect(ledger.appends).toBe(2);
    expect(ledger.events.map((e) => e.data['votersVoted'])).toEqual([undefined, undefined, 50, 80]);
  });

  it('answers with the rule when the new history refuses the command', async () => {
    let raced = false;
    const { ledger, port } = memoryLedger((l) => {
      if (raced) return;
      raced = true;
      l.write([
        event('TurnoutReported', {
          pollingAreaId,
          asOf: '2026-03-15T10:00:00+07:00',
          votersVoted: 90,
        }),
      ]);
    });
    ledger.write(opened);
    const reply = await runner(port).run(report('2026-03-15T09:00:00+07:00', 80), metadata);
    expect(reply.ok ? null : reply.error.code).toBe('TURNOUT.OUT_OF_ORDER');
    expect(ledger.events).toHaveLength(3);
  });

  it('gives up with STALE_REVISION after the configured retries, appending nothing of its own', async () => {
    let minute = 0;
    const { ledger, port } = memoryLedger((l) => {
      minute += 1;
      l.write([
        event('TurnoutReported', {
          pollingAreaId,
          asOf: `2026-03-15T08:${String(minute).padStart(2, '0')}:00+07:00`,
          votersVoted: minute,
        }),
      ]);
    });
    ledger.write(opened);
    const reply = await runner(port, 2).run(report('2026-03-15T09:00:00+07:00', 80), metadata);
    expect(reply.ok ? null : reply.error.code).toBe('STALE_REVISION');
    expect(ledger.appends).toBe(3);
    expect(ledger.events.filter((e) => e.data['votersVoted'] === 80)).toHaveLength(0);
  });

  it('runs the prelude (registration) with the first command, in the same append', async () => {
    const { ledger, port } = memoryLedger();
    const reply = await runner(port).run(
      { type: 'OpenPollingArea', data: { pollingAreaId, at: '2026-03-15T06:30:00+07:00' } },
      metadata,
    );
    expect(reply.ok).toBe(true);
    expect(ledger.appends).toBe(1);
    expect(ledger.events.map((e) => e.type)).toEqual([
      'PollingAreaRegistered',
      'PollingAreaOpened',
    ]);
    expect(ledger.events.every((e) => e.metadata.correlationId === 'c-1')).toBe(true);
  });
});
