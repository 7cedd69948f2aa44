export { HooklinePortal, type HooklinePortalProps } from './HooklinePortal.tsx';
export { buildPortalSrc, isPortalResizeMessage, type PortalResizeMessage, type PortalTheme } from './portalUrl.ts';
// Headless: data hooks for vendors who build their own portal UI (docs/headless.md).
export { HooklineProvider, useHookline, type HooklineProviderProps } from './headless/HooklineProvider.tsx';
export {
  buildRequestUrl,
  createHooklineClient,
  type HooklineClient,
  type HooklineClientOptions,
  type HooklinePaths,
  type HooklineSchemas,
} from './headless/hooklineClient.ts';
export { HooklineError, type HooklineFieldIssue } from './headless/hooklineError.ts';
export type { HooklineEntity } from './headless/useLoad.ts';
export type { HooklinePaginated, ListPage } from './headless/usePaginated.ts';
export {
  useEndpoint,
  useEndpointFunctions,
  useEndpoints,
  useEndpointSecret,
  useEndpointStats,
  useNewEndpoint,
  type EndpointFunctions,
  type EndpointIn,
  type EndpointListOptions,
  type EndpointOut,
  type EndpointPatch,
  type EndpointSecretOut,
  type EndpointSecretRotateIn,
  type EndpointStats,
  type EndpointStatsOptions,
  type EndpointUpdate,
} from './headless/endpointHooks.ts';
export {
  useEndpointMessageAttempts,
  useEventTypes,
  useMessage,
  useMessageAttempts,
  useMessages,
  type EndpointAttemptListOptions,
  type EventTypeListOptions,
  type EventTypeOut,
  type MessageAttemptListOptions,
  type MessageAttemptOut,
  type MessageListOptions,
  type MessageOut,
} from './headless/logHooks.ts';
