import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './apiContext.tsx';
import type { Schemas } from '@hookline/ui';

export type Transformation = Schemas['EndpointTransformationOut'];
export type TransformationPatch = Schemas['EndpointTransformationPatch'];
export type SimulateIn = Schemas['EndpointTransformationSimulateIn'];
export type SimulateOut = Schemas['EndpointTransformationSimulateOut'];
export type TransformationTemplate = Schemas['TransformationTemplateOut'];

/** The endpoint's transformation: its code and whether it runs on deliveries. */
export function useTransformation(endpoint: string) {
  const { client, app } = useApi();
  return useQuery({
    queryKey: ['endpoints', app, endpoint, 'transformation'],
    queryFn: () => client.request('get', '/api/v1/app/{app}/endpoint/{endpoint}/transformation', { path: { app, endpoint } }),
  });
}

/** The ready-made Slack, Discord and Teams transformations; the same for every application. */
export function useTransformationTemplates() {
  const { client } = useApi();
  return useQuery({
    queryKey: ['transformation-templates'],
    queryFn: () => client.request('get', '/api/v1/transformation-template'),
    staleTime: Infinity,
  });
}

export function useSaveTransformation(endpoint: string) {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TransformationPatch) => client.request('patch', '/api/v1/app/{app}/endpoint/{endpoint}/transformation', { path: { app, endpoint }, body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['endpoints', app, endpoint, 'transformation'] }),
  });
}

/** Runs code on a payload as a delivery to this endpoint would, sending nothing. */
export function useSimulateTransformation(endpoint: string) {
  const { client, app } = useApi();
  return useMutation({
    mutationFn: (body: SimulateIn) => client.request('post', '/api/v1/app/{app}/endpoint/{endpoint}/transformation/simulate', { path: { app, endpoint }, body }),
  });
}
