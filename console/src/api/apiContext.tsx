import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from '@hookline/ui';

const ClientContext = createContext<ApiClient | null>(null);

/** Gives the pages the signed-in person's client (session cookie + CSRF header). */
export function ConsoleApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

/** The typed client for /api/v1 and /console/v1 as the signed-in person: `useConsoleApi().request('get', '/api/v1/app', {...})`. */
export function useConsoleApi(): ApiClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useConsoleApi outside ConsoleApiProvider');
  return client;
}
