import { useQuery } from '@tanstack/react-query';
import { useApi } from './apiContext.tsx';

/** The vendor's portal branding (its logo, set in the console's Settings); it rarely changes while the portal is open. */
export function useBranding() {
  const { client } = useApi();
  return useQuery({ queryKey: ['portal-branding'], queryFn: () => client.request('get', '/api/v1/portal-branding'), staleTime: 5 * 60_000 });
}
