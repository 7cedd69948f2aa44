import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './apiContext.tsx';
import type { Schemas } from '@hookline/ui';

export type NotificationSettings = Schemas['NotificationSettingsOut'];
export type NotificationSettingsIn = Schemas['NotificationSettingsIn'];
export type NoticeTestResult = Schemas['NoticeTestOut']['results'][number];

const key = (app: string) => ['notification-settings', app];

/** Where the application's failure notices go (the chat webhook URL comes back masked). */
export function useNotificationSettings() {
  const { client, app } = useApi();
  return useQuery({
    queryKey: key(app),
    queryFn: () => client.request('get', '/api/v1/app/{app}/notification-settings', { path: { app } }),
  });
}

export function useSaveNotificationSettings() {
  const { client, app } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationSettingsIn) => client.request('put', '/api/v1/app/{app}/notification-settings', { path: { app }, body }),
    onSuccess: (saved) => qc.setQueryData(key(app), saved),
  });
}

/** Sends a test notice to every stored target now; the answer says how each went. */
export function useSendTestNotice() {
  const { client, app } = useApi();
  return useMutation({
    mutationFn: () => client.request('post', '/api/v1/app/{app}/notification-settings/test', { path: { app } }),
  });
}
