// The live feed: one EventSource on GET /api/v1/live for the whole app. The browser's EventSource
// cannot send headers, so the token goes in `?access_token=` (the gateway accepts it for /live
// only). The gateway sends `committed` {position, type, streamId, …} per event the caller may see,
// `projected` {position} when the read models move on, and `heartbeat` {position} every 15 s. A
// committed event marks the queries its stream feeds; they are refreshed once the read models
// have reached its position (a refetch before that would answer the old figures), batched so a
// burst costs one refetch a second.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { withParams } from './client.js';
import type { Resource } from './queries.js';
import { useSession } from './session.js';
import type { LiveCommitted } from './types.js';

export type LiveState = 'connecting' | 'connected' | 'reconnecting';

export interface LiveStatus {
  readonly state: LiveState;
  /** The position the read models have reached, as the feed last said. */
  readonly position: number | undefined;
}

/** The part of EventSource the hook uses, so tests can pass a fake one. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((this: EventSource, ev: Event) => unknown) | null;
  onerror: ((this: EventSource, ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

const CLOSED = 2;

/** Which queries an event of a stream category can change. */
export function affectedBy(streamId: string): readonly Resource[] {
  const category = streamId.slice(0, streamId.indexOf('-'));
  switch (category) {
    case 'turnout':
    case 'voter':
      return ['overview', 'communes', 'polling-areas', 'timeline', 'events'];
    case 'tally':
    case 'election':
      return ['overview', 'communes', 'polling-areas', 'results', 'events'];
    case 'incident':
      return ['overview', 'communes', 'incidents', 'events'];
    case 'anomaly':
      return ['overview', 'communes', 'anomalies', 'events'];
    default:
      return ['events'];
  }
}

export function parseCommitted(data: string): LiveCommitted | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== 'object' || value === null) return undefined;
    const { position, type, streamId } = value as Record<string, unknown>;
    if (typeof position !== 'number' || typeof streamId !== 'string') return undefined;
    return { position, type: typeof type === 'string' ? type : '', streamId };
  } catch {
    return undefined;
  }
}

/** The `{position}` of a projected or heartbeat message: how far the read models have got. */
export function parsePosition(data: string): number | undefined {
  try {
    const value: unknown = JSON.parse(data);
    const position = (value as { position?: unknown } | null)?.position;
    return typeof position === 'number' ? position : undefined;
  } catch {
    return undefined;
  }
}

const LiveContext = createContext<LiveStatus>({ state: 'connecting', position: undefined });

const flushEveryMs = 1_000;
const retryClosedAfterMs = 5_000;

export function LiveProvider(props: {
  readonly eventSource: EventSourceFactory;
  readonly children: ReactNode;
}): ReactNode {
  const { session } = useSession();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>({ state: 'connecting', position: undefined });
  const factory = useRef(props.eventSource);
  const token = session?.accessToken;

  useEffect(() => {
    if (token === undefined) return;
    let source: EventSourceLike | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    /** Resource → the highest committed position that changes it and is not refreshed yet. */
    const pending = new Map<Resource, number>();
    let projected = 0;
    let highest: number | undefined;
    let openedBefore = false;

    let lastFlush = 0;
    let scheduled: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      scheduled = undefined;
      lastFlush = Date.now();
      for (const [resource, position] of pending) {
        if (position > projected) continue;
        pending.delete(resource);
        void queryClient.invalidateQueries({ queryKey: [resource] });
      }
      if (highest !== undefined) {
        const position = highest;
        setStatus((s) => (s.position === position ? s : { ...s, position }));
      }
    };
    /** At once when the last refresh is a second old, else at the end of that second. */
    const flushSoon = (): void => {
      if (scheduled !== undefined) return;
      scheduled = setTimeout(flush, Math.max(0, lastFlush + flushEveryMs - Date.now()));
    };

    const connect = (): void => {
      const url = withParams('/live', { access_token: token });
      const es = factory.current(url);
      source = es;
      es.onopen = () => {
        setStatus((s) => ({ ...s, state: 'connected' }));
        // Whatever happened while we were away is unknown: after a reconnect, refresh everything.
        if (openedBefore) void queryClient.invalidateQueries();
        openedBefore = true;
      };
      es.onerror = () => {
        setStatus((s) => ({ ...s, state: 'reconnecting' }));
        // EventSource retries by itself unless the server answered with an error status; then
        // it is closed for good and we open a new one after a pause.
        if (es.readyState === CLOSED && !disposed) {
          es.close();
          retry = setTimeout(connect, retryClosedAfterMs);
        }
      };
      es.addEventListener('committed', (event) => {
        const committed = parseCommitted(event.data);
        if (committed === undefined) return;
        for (const resource of affectedBy(committed.streamId))
          pending.set(resource, Math.max(pending.get(resource) ?? 0, committed.position));
        // The read models may have told us they got there before the event itself arrived.
        if (committed.position <= projected) flushSoon();
      });
      const onProjected = (event: MessageEvent<string>): void => {
        const position = parsePosition(event.data);
        if (position === undefined) return;
        projected = Math.max(projected, position);
        highest = Math.max(highest ?? 0, position);
        flushSoon();
      };
      es.addEventListener('projected', onProjected);
      es.addEventListener('heartbeat', onProjected);
    };
    connect();
    return () => {
      disposed = true;
      if (scheduled !== undefined) clearTimeout(scheduled);
      if (retry !== undefined) clearTimeout(retry);
      source?.close();
    };
  }, [token, queryClient]);

  return <LiveContext.Provider value={status}>{props.children}</LiveContext.Provider>;
}

/** The live connection: connected, or (re)connecting on its own. */
export function useLive(): LiveStatus {
  return useContext(LiveContext);
}
