// The shape of every aggregate (emmett's decider): decide turns a command and the current state
// into events or a coded rejection; evolve folds events into state. Clock and ids come in.
import type { CodedError, Result } from './result.js';

/** What a decision may know about the world besides the state: given, never read inside. */
export interface DecisionContext {
  /** The time the command is decided at, with its offset (the field's clock, as reported). */
  readonly now: Date;
}

export interface Decider<Command, Event, State, Code extends string> {
  readonly initialState: () => State;
  readonly decide: (
    command: Command,
    state: State,
    context: DecisionContext,
  ) => Result<readonly Event[], CodedError<Code>>;
  readonly evolve: (state: State, event: Event) => State;
}

/** Folds a stream's history into its state. */
export function foldEvents<Event, State>(
  decider: Pick<Decider<unknown, Event, State, string>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
