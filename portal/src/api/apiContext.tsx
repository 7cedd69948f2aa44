import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from '@hookline/ui';
import type { Capability, PortalSession } from './session.ts';

interface ApiContextValue {
  client: ApiClient;
  session: PortalSession;
  /** The API's base URL, for showing the customer URLs to call (a poller's); absent: the page's origin. */
  apiBase?: string;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider({ value, children }: { value: ApiContextValue; children: ReactNode }) {
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiContextValue & { app: string } {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi outside ApiProvider');
  return { ...value, app: value.session.appId };
}

/** Whether the portal token carries a capability (the API enforces it; this hides the UI). */
export function useCan(capability: Capability): boolean {
  return useApi().session.capabilities.has(capability);
}
