import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, type Schemas } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';

// The Team page's data: the tenant's members and SSO (manage / owner), and the signed-in
// person's own sessions. Each change refreshes what it touched.

export type Member = Schemas['MemberOut'];
export type Role = Schemas['Role'];
export const ROLES: readonly Role[] = ['owner', 'admin', 'developer', 'viewer'];
const MEMBERS = ['members'] as const;
const INVITES = ['members', 'invites'] as const;
const SSO = ['sso-config'] as const;
const SESSIONS = ['me', 'sessions'] as const;

export function useMembers() {
  const client = useConsoleApi();
  return useQuery({ queryKey: MEMBERS, queryFn: () => client.request('get', '/console/v1/members') });
}

export function useInvite() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['InviteIn']) => client.request('post', '/console/v1/members/invites', { body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: MEMBERS }),
  });
}

export type PendingInvite = Schemas['PendingInviteOut'];

export function usePendingInvites() {
  const client = useConsoleApi();
  return useQuery({ queryKey: INVITES, queryFn: () => client.request('get', '/console/v1/members/invites') });
}

export function useResendInvite() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (inviteId: string) => client.request('post', '/console/v1/members/invites/{inviteId}/resend', { path: { inviteId } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: INVITES }),
  });
}

export function useRevokeInvite() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (inviteId: string) => client.request('delete', '/console/v1/members/invites/{inviteId}', { path: { inviteId } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: INVITES }),
  });
}

export function useChangeRole() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ personId, role }: { personId: string; role: Role }) =>
      client.request('patch', '/console/v1/members/{personId}', { path: { personId }, body: { role } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: MEMBERS }),
  });
}

export function useRemoveMember() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (personId: string) => client.request('delete', '/console/v1/members/{personId}', { path: { personId } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: MEMBERS }),
  });
}

/** The tenant's SSO configuration, or null when there is none (the API's 404). */
export function useSsoConfig() {
  const client = useConsoleApi();
  return useQuery({
    queryKey: SSO,
    queryFn: async () => {
      try {
        return await client.request('get', '/console/v1/sso/config');
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

export function useSaveSso() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['SsoConfigIn']) => client.request('put', '/console/v1/sso/config', { body }),
    onSuccess: (config) => queryClient.setQueryData(SSO, config),
  });
}

export function useDeleteSso() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.request('delete', '/console/v1/sso/config'),
    onSuccess: () => queryClient.setQueryData(SSO, null),
  });
}

export function useMySessions() {
  const client = useConsoleApi();
  return useQuery({ queryKey: SESSIONS, queryFn: () => client.request('get', '/console/v1/me/sessions') });
}

export function useEndSession() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) => client.request('delete', '/console/v1/me/sessions/{sessionId}', { path: { sessionId } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: SESSIONS }),
  });
}
