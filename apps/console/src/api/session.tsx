// Who is signed in (token, role, scope), kept in localStorage so a wall screen survives a reload,
// and the API client bound to it. Also the highest position this tab wrote, for read-your-writes.
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { createApiClient, type ApiClient, type FetchLike } from './client.js';
import { roles, type Role, type Scope } from './types.js';

export interface Session {
  readonly username: string;
  readonly accessToken: string;
  readonly role: Role;
  readonly scope: Scope;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

const storageKey = 'hpe.console.session';

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.username === 'string' &&
    typeof v.accessToken === 'string' &&
    typeof v.expiresAt === 'number' &&
    typeof v.scope === 'object' &&
    v.scope !== null &&
    (roles as readonly unknown[]).includes(v.role)
  );
}

function loadSession(now: number): Session | undefined {
  try {
    const raw = localStorage.getItem(storageKey);
    if (raw === null) return undefined;
    const parsed: unknown = JSON.parse(raw);
    return isSession(parsed) && parsed.expiresAt > now ? parsed : undefined;
  } catch {
    return undefined;
  }
}

interface SessionValue {
  readonly session: Session | undefined;
  readonly client: ApiClient;
  signIn(username: string, password: string): Promise<Session>;
  signOut(): void;
  /** The position of the last command this tab sent; queries ask for at least it. */
  readonly minPosition: number | undefined;
  notePosition(position: number): void;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

export function SessionProvider(props: {
  readonly fetch: FetchLike;
  readonly initialSession?: Session;
  readonly children: ReactNode;
}): ReactNode {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | undefined>(
    () => props.initialSession ?? loadSession(Date.now()),
  );
  const [minPosition, setMinPosition] = useState<number | undefined>(undefined);
  const tokenRef = useRef(session?.accessToken);
  tokenRef.current = session?.accessToken;

  const signOut = useCallback(() => {
    localStorage.removeItem(storageKey);
    tokenRef.current = undefined;
    setSession(undefined);
    setMinPosition(undefined);
    queryClient.clear();
  }, [queryClient]);

  const client = useMemo(
    () =>
      createApiClient({
        fetch: props.fetch,
        getToken: () => tokenRef.current,
        onUnauthorized: signOut,
      }),
    [props.fetch, signOut],
  );

  const signIn = useCallback(
    async (username: string, password: string) => {
      const answer = await client.signIn(username, password);
      const next: Session = {
        username,
        accessToken: answer.accessToken,
        role: answer.role,
        scope: answer.scope,
        expiresAt: Date.now() + answer.expiresIn * 1000,
      };
      localStorage.setItem(storageKey, JSON.stringify(next));
      tokenRef.current = next.accessToken;
      queryClient.clear();
      setSession(next);
      return next;
    },
    [client, queryClient],
  );

  const notePosition = useCallback((position: number) => {
    setMinPosition((current) => Math.max(current ?? 0, position));
  }, []);

  const value = useMemo(
    () => ({ session, client, signIn, signOut, minPosition, notePosition }),
    [session, client, signIn, signOut, minPosition, notePosition],
  );
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session; only for views behind the sign-in gate. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (session === undefined) throw new Error('useSignedIn without a session');
  return session;
}
