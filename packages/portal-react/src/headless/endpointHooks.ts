import { useMemo } from 'react';
import type { HooklineSchemas, QueryOf } from './hooklineClient.ts';
import { useHookline } from './HooklineProvider.tsx';
import { useLoad, type HooklineEntity } from './useLoad.ts';
import { usePaginated, type HooklinePaginated } from './usePaginated.ts';

export type EndpointOut = HooklineSchemas['EndpointOut'];
export type EndpointIn = HooklineSchemas['EndpointIn'];
export type EndpointUpdate = HooklineSchemas['EndpointUpdate'];
export type EndpointPatch = HooklineSchemas['EndpointPatch'];
export type EndpointSecretOut = HooklineSchemas['EndpointSecretOut'];
export type EndpointSecretRotateIn = HooklineSchemas['EndpointSecretRotateIn'];
export type EndpointStats = HooklineSchemas['EndpointStats'];
export type EndpointListOptions = Omit<QueryOf<'/api/v1/app/{app}/endpoint'>, 'iterator'>;
export type EndpointStatsOptions = QueryOf<'/api/v1/app/{app}/endpoint/{endpoint}/stats'>;

/** The application's endpoints, a page at a time (`limit` per page, default 50). */
export function useEndpoints(options: EndpointListOptions = {}): HooklinePaginated<EndpointOut> {
  const { client, appId, reloads, scope } = useHookline();
  return usePaginated(
    JSON.stringify(['endpoints', scope, appId, options]),
    (iterator, signal) => client.request('get', '/api/v1/app/{app}/endpoint', { path: { app: appId }, query: { ...options, iterator }, signal }),
    reloads,
    ['endpoints'],
  );
}

/** One endpoint; reloads after the mutations below change it. */
export function useEndpoint(endpointId: string): HooklineEntity<EndpointOut> {
  const { client, appId, reloads, scope } = useHookline();
  return useLoad(
    JSON.stringify(['endpoint', scope, appId, endpointId]),
    (signal) => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}', { path: { app: appId, endpoint: endpointId }, signal }),
    reloads,
    ['endpoints'],
  );
}

/** The endpoint's signing secret (`whsec_…`); the token needs ViewEndpointSecret. Pass null to not load it yet (e.g. until "reveal"). */
export function useEndpointSecret(endpointId: string | null): HooklineEntity<EndpointSecretOut> {
  const { client, appId, reloads, scope } = useHookline();
  return useLoad(
    endpointId === null ? null : JSON.stringify(['secret', scope, appId, endpointId]),
    (signal) => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/secret', { path: { app: appId, endpoint: endpointId ?? '' }, signal }),
    reloads,
    ['secret'],
  );
}

/** Delivery counts of the endpoint's attempts (for messages sent in [since, until) when given). */
export function useEndpointStats(endpointId: string, options: EndpointStatsOptions = {}): HooklineEntity<EndpointStats> {
  const { client, appId, reloads, scope } = useHookline();
  return useLoad(
    JSON.stringify(['stats', scope, appId, endpointId, options]),
    (signal) => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/stats', { path: { app: appId, endpoint: endpointId }, query: options, signal }),
    reloads,
    ['endpoints', 'attempts'],
  );
}

/** `createEndpoint(body)`: resolves to the new endpoint (rejects with a HooklineError, e.g. a 422); the endpoint lists reload. */
export function useNewEndpoint(): { createEndpoint: (body: EndpointIn) => Promise<EndpointOut> } {
  const { client, appId, reloads } = useHookline();
  return useMemo(
    () => ({
      createEndpoint: async (body: EndpointIn) => {
        const created = await client.request('post', '/api/v1/app/{app}/endpoint', { path: { app: appId }, body });
        reloads.publish('endpoints');
        return created;
      },
    }),
    [client, appId, reloads],
  );
}

export interface EndpointFunctions {
  /** Replaces the endpoint's settings (PUT: what is left out goes back to its default). */
  updateEndpoint: (body: EndpointUpdate) => Promise<EndpointOut>;
  /** Changes only the fields given (PATCH), e.g. `{ disabled: true }`. */
  patchEndpoint: (body: EndpointPatch) => Promise<EndpointOut>;
  deleteEndpoint: () => Promise<void>;
  /** A new signing secret (random unless `key` is given); the old one keeps working for `gracePeriodSeconds`. */
  rotateSecret: (body?: EndpointSecretRotateIn) => Promise<void>;
}

/** The mutations of one endpoint; after each, the hooks showing endpoints (or its secret) reload. */
export function useEndpointFunctions(endpointId: string): EndpointFunctions {
  const { client, appId, reloads } = useHookline();
  return useMemo(() => {
    const path = { app: appId, endpoint: endpointId };
    return {
      updateEndpoint: async (body) => {
        const saved = await client.request('put', '/api/v1/app/{app}/endpoint/{endpoint}', { path, body });
        reloads.publish('endpoints');
        return saved;
      },
      patchEndpoint: async (body) => {
        const saved = await client.request('patch', '/api/v1/app/{app}/endpoint/{endpoint}', { path, body });
        reloads.publish('endpoints');
        return saved;
      },
      deleteEndpoint: async () => {
        await client.request('delete', '/api/v1/app/{app}/endpoint/{endpoint}', { path });
        reloads.publish('endpoints');
      },
      rotateSecret: async (body = {}) => {
        await client.request('post', '/api/v1/app/{app}/endpoint/{endpoint}/secret/rotate', { path, body });
        reloads.publish('secret');
      },
    } satisfies EndpointFunctions;
  }, [client, appId, endpointId, reloads]);
}
