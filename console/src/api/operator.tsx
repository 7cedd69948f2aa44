import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { ApiClient } from '@hookline/ui';
import { createOperatorClient } from './client.ts';

// The operator's token (HOOKLINE_ADMIN_TOKEN) for /admin/v1: kept in sessionStorage, so it lives
// as long as the tab and is never written to disk beyond it, nor sent anywhere but as Bearer.

const KEY = 'hookline-operator-token';

export interface OperatorSession {
  token: string | null;
  /** The /admin/v1 client while signed in as the operator. */
  client: ApiClient | null;
  signIn(token: string): void;
  signOut(): void;
}

const OperatorContext = createContext<OperatorSession | null>(null);

export function OperatorProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(KEY));
  const value = useMemo<OperatorSession>(() => {
    const signOut = () => {
      sessionStorage.removeItem(KEY);
      setToken(null);
    };
    return {
      token,
      client: token ? createOperatorClient(token, signOut) : null,
      signIn: (next) => {
        sessionStorage.setItem(KEY, next);
        setToken(next);
      },
      signOut,
    };
  }, [token]);
  return <OperatorContext.Provider value={value}>{children}</OperatorContext.Provider>;
}

export function useOperator(): OperatorSession {
  const value = useContext(OperatorContext);
  if (!value) throw new Error('useOperator outside OperatorProvider');
  return value;
}
