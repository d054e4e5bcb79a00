// One TanStack Query hook per query of design/api.md, and the commands as mutations. Query keys
// start with the resource name so the live feed can invalidate by resource (see live.ts).
import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import type { ApiError, QueryParams } from './client.js';
import { useSession } from './session.js';
import type {
  AnomalyList,
  CommandAnswer,
  CommuneDetail,
  CommuneList,
  ElectoralUnitList,
  EventPage,
  IncidentList,
  LedgerVerification,
  Level,
  LevelResults,
  Overview,
  PollingAreaDetail,
  PollingAreaList,
  Timeline,
} from './types.js';

export const resources = [
  'overview',
  'communes',
  'polling-areas',
  'timeline',
  'electoral-units',
  'results',
  'incidents',
  'anomalies',
  'events',
] as const;
export type Resource = (typeof resources)[number];

function useApiQuery<T>(
  resource: Resource,
  path: string,
  params: QueryParams = {},
  enabled = true,
): UseQueryResult<T, ApiError> {
  const { client, minPosition } = useSession();
  const all: QueryParams = { ...params, minPosition };
  return useQuery<T, ApiError>({
    queryKey: [resource, path, all],
    queryFn: () => client.get<T>(path, all),
    enabled,
  });
}

export const useOverview = (): UseQueryResult<Overview, ApiError> =>
  useApiQuery('overview', '/overview');

export const useTimeline = (
  of: { readonly communeId?: string; readonly pollingAreaId?: string } = {},
): UseQueryResult<Timeline, ApiError> =>
  useApiQuery('timeline', '/turnout/timeline', {
    communeId: of.communeId,
    pollingAreaId: of.pollingAreaId,
  });

/** With a round (`HH:MM`), each commune says how many of its areas reported as of it. */
export const useCommunes = (
  round?: string | null,
  enabled = true,
): UseQueryResult<CommuneList, ApiError> =>
  useApiQuery('communes', '/communes', { round: round ?? undefined }, enabled);

export const useCommune = (
  communeId: string,
  round?: string | null,
  enabled = true,
): UseQueryResult<CommuneDetail, ApiError> =>
  useApiQuery(
    'communes',
    `/communes/${encodeURIComponent(communeId)}`,
    { round: round ?? undefined },
    enabled,
  );

export const usePollingAreas = (communeId: string): UseQueryResult<PollingAreaList, ApiError> =>
  useApiQuery('polling-areas', '/polling-areas', { communeId });

export const usePollingArea = (
  pollingAreaId: string,
): UseQueryResult<PollingAreaDetail, ApiError> =>
  useApiQuery('polling-areas', `/polling-areas/${encodeURIComponent(pollingAreaId)}`);

export const useElectoralUnits = (level: Level): UseQueryResult<ElectoralUnitList, ApiError> =>
  useApiQuery('electoral-units', '/electoral-units', { level });

export const useResults = (level: Level): UseQueryResult<LevelResults, ApiError> =>
  useApiQuery('results', `/results/${level}`);

export interface IncidentFilter {
  readonly status?: string;
  readonly severity?: string;
  readonly communeId?: string;
}
export const useIncidents = (
  filter: IncidentFilter = {},
  enabled = true,
): UseQueryResult<IncidentList, ApiError> =>
  useApiQuery('incidents', '/incidents', { ...filter }, enabled);

export interface AnomalyFilter {
  readonly status?: string;
  readonly kind?: string;
  readonly communeId?: string;
}
export const useAnomalies = (
  filter: AnomalyFilter = {},
  enabled = true,
): UseQueryResult<AnomalyList, ApiError> =>
  useApiQuery('anomalies', '/anomalies', { ...filter }, enabled);

export interface EventFilter {
  readonly streamId?: string;
  readonly type?: string;
  readonly fromPosition?: number;
  readonly limit?: number;
}
export const useEvents = (filter: EventFilter): UseQueryResult<EventPage, ApiError> =>
  useApiQuery('events', '/events', { ...filter });

/** Verification is run on demand (the Verify button), never on page load. */
export function useVerifyLedger(): {
  readonly run: () => void;
  readonly result: LedgerVerification | undefined;
  readonly error: ApiError | null;
  readonly pending: boolean;
} {
  const { client } = useSession();
  const mutation = useMutation<LedgerVerification, ApiError>({
    mutationFn: () => client.get<LedgerVerification>('/ledger/verify'),
  });
  return {
    run: () => mutation.mutate(),
    result: mutation.data,
    error: mutation.error,
    pending: mutation.isPending,
  };
}

/** A command: POST, then ask later reads for at least its position and refresh `affects`. */
export function useCommand<V>(
  toRequest: (vars: V) => { readonly path: string; readonly body: unknown },
  affects: readonly Resource[],
) {
  const { client, notePosition } = useSession();
  const queryClient = useQueryClient();
  return useMutation<CommandAnswer, ApiError, V>({
    mutationFn: (vars) => {
      const { path, body } = toRequest(vars);
      return client.post<CommandAnswer>(path, body);
    },
    onSuccess: async (answer) => {
      notePosition(answer.position);
      await Promise.all(
        affects.map((resource) => queryClient.invalidateQueries({ queryKey: [resource] })),
      );
    },
  });
}
