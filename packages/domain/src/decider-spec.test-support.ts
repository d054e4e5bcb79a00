// Given / when / then for deciders (emmett's DeciderSpecification, kept small): given past events,
// when a command is decided at a time, then these events — or this rejection code.
import { expect } from 'vitest';
import type { Decider, DecisionContext } from './decider.js';
import { foldEvents } from './decider.js';

export interface DeciderSpec<Command, Event> {
  given(events: readonly Event[]): {
    when(
      command: Command,
      context?: Partial<DecisionContext>,
    ): {
      then(expected: readonly Event[]): void;
      thenRejected(code: string, details?: Record<string, unknown>): void;
    };
  };
}

export function deciderSpec<Command, Event, State, Code extends string>(
  decider: Decider<Command, Event, State, Code>,
  defaultContext: DecisionContext,
): DeciderSpec<Command, Event> {
  return {
    given: (events) => ({
      when: (command, context = {}) => {
        const result = decider.decide(command, foldEvents(decider, events), {
          ...defaultContext,
          ...context,
        });
        return {
          then: (expected) => {
            if (!result.ok)
              throw new Error(
                `expected events, got rejection ${result.error.code}: ${result.error.message}`,
              );
            expect(result.value).toEqual(expected);
          },
          thenRejected: (code, details) => {
            if (result.ok)
              throw new Error(
                `expected rejection ${code}, got events ${JSON.stringify(result.value)}`,
              );
            expect(result.error.code).toBe(code);
            if (details) expect(result.error.details).toMatchObject(details);
          },
        };
      },
    }),
  };
}
