import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createHooklineClient, type HooklineClient } from './hooklineClient.ts';
import { createReloadBus, type ReloadBus } from './reloadBus.ts';

interface HooklineContextValue {
  client: HooklineClient;
  appId: string;
  reloads: ReloadBus;
  /** Differs for each client, so the hooks load again when the token or server changes. */
  scope: number;
}

let clients = 0;

const HooklineContext = createContext<HooklineContextValue | null>(null);

export interface HooklineProviderProps {
  /** The portal access token your server got from `POST /api/v1/auth/app-portal-access/{app}`. */
  token: string;
  /** The application's id (or uid) the token was issued for. */
  appId: string;
  /** Where Hookline's API is; the page's own origin when unset (see docs/headless.md on cross-origin use). */
  serverUrl?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  children: ReactNode;
}

/** Gives the hooks below it the client for one application's portal token. */
export function HooklineProvider({ token, appId, serverUrl, fetch, children }: HooklineProviderProps) {
  const value = useMemo(
    () => ({ client: createHooklineClient({ token, serverUrl, fetch }), appId, reloads: createReloadBus(), scope: ++clients }),
    [token, appId, serverUrl, fetch],
  );
  return <HooklineContext.Provider value={value}>{children}</HooklineContext.Provider>;
}

/** The provider's client and application id, for calls the hooks do not cover (`client.request('get', path, …)`). */
export function useHookline(): HooklineContextValue {
  const value = useContext(HooklineContext);
  if (!value) throw new Error('Hookline hooks must be used inside <HooklineProvider>');
  return value;
}
