import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, type ApiClient, type Schemas } from '@hookline/ui';
import { can, type Access, type Role } from './access.ts';
import { useConsoleApi } from './apiContext.tsx';

// The signed-in person (GET /console/v1/me): null when signed out. Everything the console shows
// about who you are, which tenant you are in and what your role lets you do comes from here.

export type Me = Schemas['MeOut'];
export const ME_KEY = ['me'] as const;

export async function fetchMe(client: ApiClient): Promise<Me | null> {
  try {
    return await client.request('get', '/console/v1/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useMe() {
  const client = useConsoleApi();
  return useQuery({ queryKey: ME_KEY, queryFn: () => fetchMe(client), staleTime: 60_000, retry: false });
}

/** Your role in the current tenant, or null (signed out, or no tenant). */
export function useRole(): Role | null {
  return useMe().data?.role ?? null;
}

/** Whether your role allows what `access` names: hide the controls it does not (the API refuses them anyway). */
export function useCan(access: Access): boolean {
  return can(useRole(), access);
}

/** The current tenant with your role in it, or null. */
export function useCurrentTenant(): { id: string; name: string; role: Role } | null {
  const me = useMe().data;
  return me?.tenants.find((t) => t.id === me.currentTenantId) ?? null;
}

/** Forgets every tenant-scoped answer (after sign-in, sign-out or a tenant switch), keeping `me`. */
export function resetTenantData(queryClient: QueryClient): void {
  void queryClient.resetQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
}

/** Records who signed in (the answer of sign-in, TOTP, invite) and starts from clean tenant data. */
export function useSignedIn(): (me: Me) => void {
  const queryClient = useQueryClient();
  return (me) => {
    queryClient.setQueryData(ME_KEY, me);
    resetTenantData(queryClient);
  };
}

export function useSignOut() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.request('post', '/console/v1/auth/sign-out'),
    onSettled: () => {
      queryClient.setQueryData(ME_KEY, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    },
  });
}

export function useSwitchTenant() {
  const client = useConsoleApi();
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (tenantId: string) => client.request('post', '/console/v1/me/tenant', { body: { tenantId } }),
    onSuccess: signedIn,
  });
}
