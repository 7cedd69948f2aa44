import type { HooklineSchemas, QueryOf } from './hooklineClient.ts';
import { useHookline } from './HooklineProvider.tsx';
import { useLoad, type HooklineEntity } from './useLoad.ts';
import { usePaginated, type HooklinePaginated } from './usePaginated.ts';

export type MessageOut = HooklineSchemas['MessageOut'];
export type MessageAttemptOut = HooklineSchemas['MessageAttemptOut'];
export type EventTypeOut = HooklineSchemas['EventTypeOut'];
export type MessageListOptions = Omit<QueryOf<'/api/v1/app/{app}/msg'>, 'iterator'>;
export type MessageAttemptListOptions = Omit<QueryOf<'/api/v1/app/{app}/attempt/msg/{msg}'>, 'iterator'>;
export type EndpointAttemptListOptions = Omit<QueryOf<'/api/v1/app/{app}/attempt/endpoint/{endpoint}'>, 'iterator'>;
export type EventTypeListOptions = Omit<QueryOf<'/api/v1/event-type'>, 'iterator'>;

/** The application's messages, newest first unless `order` says otherwise; filters as the API's list. */
export function useMessages(options: MessageListOptions = {}): HooklinePaginated<MessageOut> {
  const { client, appId, reloads, scope } = useHookline();
  return usePaginated(
    JSON.stringify(['messages', scope, appId, options]),
    (iterator, signal) => client.request('get', '/api/v1/app/{app}/msg', { path: { app: appId }, query: { ...options, iterator }, signal }),
    reloads,
    [],
  );
}

/** One message, with its payload. */
export function useMessage(messageId: string): HooklineEntity<MessageOut> {
  const { client, appId, reloads, scope } = useHookline();
  return useLoad(
    JSON.stringify(['message', scope, appId, messageId]),
    (signal) => client.request('get', '/api/v1/app/{app}/msg/{msg}', { path: { app: appId, msg: messageId }, signal }),
    reloads,
    [],
  );
}

/** The delivery attempts of one message (to every endpoint, or `endpoint_id`'s), newest first. */
export function useMessageAttempts(messageId: string, options: MessageAttemptListOptions = {}): HooklinePaginated<MessageAttemptOut> {
  const { client, appId, reloads, scope } = useHookline();
  return usePaginated(
    JSON.stringify(['messageAttempts', scope, appId, messageId, options]),
    (iterator, signal) => client.request('get', '/api/v1/app/{app}/attempt/msg/{msg}', { path: { app: appId, msg: messageId }, query: { ...options, iterator }, signal }),
    reloads,
    ['attempts'],
  );
}

/** The delivery attempts to one endpoint, newest first (`with_msg: 'true'` adds each attempt's message). */
export function useEndpointMessageAttempts(endpointId: string, options: EndpointAttemptListOptions = {}): HooklinePaginated<MessageAttemptOut> {
  const { client, appId, reloads, scope } = useHookline();
  return usePaginated(
    JSON.stringify(['endpointAttempts', scope, appId, endpointId, options]),
    (iterator, signal) =>
      client.request('get', '/api/v1/app/{app}/attempt/endpoint/{endpoint}', { path: { app: appId, endpoint: endpointId }, query: { ...options, iterator }, signal }),
    reloads,
    ['attempts'],
  );
}

/** The vendor's event catalog (what an endpoint can subscribe to); `with_content: 'true'` adds schemas and examples. */
export function useEventTypes(options: EventTypeListOptions = {}): HooklinePaginated<EventTypeOut> {
  const { client, reloads, scope } = useHookline();
  return usePaginated(
    JSON.stringify(['eventTypes', scope, options]),
    (iterator, signal) => client.request('get', '/api/v1/event-type', { query: { ...options, iterator }, signal }),
    reloads,
    [],
  );
}
