import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '@hookline/ui';

// The operator page's data through the operator's client (/admin/v1, Bearer token): tenants with
// their usage, page by page, and a new tenant with its first owner's invitation.

const KEY = ['operator', 'tenant-usage'];

export function useTenantUsage(client: ApiClient, days: number) {
  return useInfiniteQuery({
    queryKey: [...KEY, days],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => client.request('get', '/admin/v1/tenants/usage', { query: { days, limit: 50, iterator: pageParam }, signal }),
    getNextPageParam: (last) => (last.done ? undefined : (last.iterator ?? undefined)),
  });
}

export interface CreatedTenant {
  id: string;
  name: string;
  inviteUrl: string;
  expiresAt: string;
}

/**
 * Two calls: the tenant, then its owner's invitation. If the second fails the tenant exists
 * anyway, so the error names it and `invite` retries only the invitation.
 */
export function useCreateTenant(client: ApiClient) {
  const queries = useQueryClient();
  const invite = async (tenant: { id: string; name: string }, email: string): Promise<CreatedTenant> => {
    const link = await client.request('post', '/admin/v1/tenants/{tenantId}/invites', { path: { tenantId: tenant.id }, body: { email, role: 'owner' } });
    return { id: tenant.id, name: tenant.name, inviteUrl: link.url, expiresAt: link.expiresAt };
  };
  return useMutation({
    mutationFn: async ({ name, email, existing }: { name: string; email: string; existing?: { id: string; name: string } }) => {
      const tenant = existing ?? (await client.request('post', '/admin/v1/tenants', { body: { name } }));
      try {
        return await invite(tenant, email);
      } catch (err) {
        throw new TenantWithoutInvite(tenant, err);
      }
    },
    onSettled: () => queries.invalidateQueries({ queryKey: KEY }),
  });
}

/** The tenant was made but its invitation was not: the form keeps the tenant and retries the invitation only. */
export class TenantWithoutInvite extends Error {
  constructor(
    readonly tenant: { id: string; name: string },
    readonly reason: unknown,
  ) {
    super(`Tenant ${tenant.name} (${tenant.id}) was created, but its invitation was not: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}
