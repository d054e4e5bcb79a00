// The live feed: one EventSource on GET /api/v1/live for the whole app. The browser's EventSource
// cannot send headers, so the token goes in `?access_token=` (the gateway must accept it there for
// /live ONLY). Assumed stream: `event: committed` with data `{position, type, streamId, ...}` per
// committed event, and `event: heartbeat` with `{position}` every few seconds. Each event
// invalidates the queries its stream category feeds, batched so a burst costs one refetch.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { withParams } from './client.js';
import type { Resource } from './queries.js';
import { useSession } from './session.js';
import type { LiveCommitted } from './types.js';

export type LiveState = 'connecting' | 'connected' | 'reconnecting';

export interface LiveStatus {
  readonly state: LiveState;
  /** The highest position the feed has announced. */
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

function parseHeartbeat(data: string): number | undefined {
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
    const pending = new Set<Resource>();
    let highest: number | undefined;
    let openedBefore = false;

    const flush = setInterval(() => {
      if (pending.size > 0) {
        for (const resource of pending)
          void queryClient.invalidateQueries({ queryKey: [resource] });
        pending.clear();
      }
      if (highest !== undefined) {
        const position = highest;
        setStatus((s) => (s.position === position ? s : { ...s, position }));
      }
    }, flushEveryMs);

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
        highest = Math.max(highest ?? 0, committed.position);
        for (const resource of affectedBy(committed.streamId)) pending.add(resource);
      });
      es.addEventListener('heartbeat', (event) => {
        const position = parseHeartbeat(event.data);
        if (position !== undefined) highest = Math.max(highest ?? 0, position);
      });
    };
    connect();
    return () => {
      disposed = true;
      clearInterval(flush);
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
