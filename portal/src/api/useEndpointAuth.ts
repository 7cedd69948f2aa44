import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, type Schemas } from '@hookline/ui';
import { useApi } from './apiContext.tsx';

export type OauthConfig = Schemas['EndpointOauthConfigOut'];
export type OauthConfigIn = Schemas['EndpointOauthConfigIn'];
export type BasicAuthIn = Schemas['EndpointBasicAuthIn'];
export type MtlsConfig = Schemas['EndpointMtlsConfigOut'];
export type MtlsConfigIn = Schemas['EndpointMtlsConfigIn'];

/** The API answers 404 when an endpoint has no such configuration: that is "none", not an error. */
async function orNone<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

const authKey = (app: string, endpoint: string, kind: string) => ['endpoints', app, endpoint, 'auth', kind];

export function useEndpointOauth(endpoint: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: authKey(app, endpoint, 'oauth'),
    queryFn: () => orNone(client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/oauth', { path: { app, endpoint } })),
  });
}

export function useEndpointBasicAuth(endpoint: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: authKey(app, endpoint, 'basic-auth'),
    queryFn: () => orNone(client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/basic-auth', { path: { app, endpoint } })),
  });
}

export function useEndpointMtls(endpoint: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: authKey(app, endpoint, 'mtls'),
    queryFn: () => orNone(client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/mtls', { path: { app, endpoint } })),
  });
}

/** Set (`body`) or remove (`null`) one of the endpoint's credentials; the API never answers with a secret. */
export function useSaveEndpointOauth(endpoint: string) {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: OauthConfigIn | null) => {
      const path = { app, endpoint };
      if (body) await client.request('put', '/api/v1/app/{app}/endpoint/{endpoint}/oauth', { path, body });
      else await client.request('delete', '/api/v1/app/{app}/endpoint/{endpoint}/oauth', { path });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: authKey(app, endpoint, 'oauth') }),
  });
}

export function useSaveEndpointBasicAuth(endpoint: string) {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: BasicAuthIn | null) => {
      const path = { app, endpoint };
      if (body) await client.request('put', '/api/v1/app/{app}/endpoint/{endpoint}/basic-auth', { path, body });
      else await client.request('delete', '/api/v1/app/{app}/endpoint/{endpoint}/basic-auth', { path });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: authKey(app, endpoint, 'basic-auth') }),
  });
}

export function useSaveEndpointMtls(endpoint: string) {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: MtlsConfigIn | null) => {
      const path = { app, endpoint };
      if (body) await client.request('put', '/api/v1/app/{app}/endpoint/{endpoint}/mtls', { path, body });
      else await client.request('delete', '/api/v1/app/{app}/endpoint/{endpoint}/mtls', { path });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: authKey(app, endpoint, 'mtls') }),
  });
}
