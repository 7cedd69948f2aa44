import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, createApiClient, ForbiddenHint } from '@hookline/ui';
import { ApiProvider } from './api/apiContext.tsx';
import { decodePortalToken, isExpired } from './api/session.ts';
import { Portal } from './components/Portal.tsx';
import { useI18n } from './i18n/I18nProvider.tsx';

type SignedOutReason = 'missing' | 'invalid' | 'expired' | 'revoked' | 'untrustedApi';

export function SignedOut({ reason }: { reason: SignedOutReason }) {
  const { t } = useI18n();
  return (
    <main className="signed-out">
      <div className="card narrow">
        <h1>{t(`signedOut.${reason}.title`)}</h1>
        <p role="alert">{t(`signedOut.${reason}.text`)}</p>
      </div>
    </main>
  );
}

/** `apiBase` null: the link named an API origin this portal may not use (see resolveApiBase). */
export function App({ initialToken, apiBase }: { initialToken: string | null; apiBase: string | null }) {
  const { t } = useI18n();
  const session = useMemo(() => (initialToken ? decodePortalToken(initialToken) : null), [initialToken]);
  const [revoked, setRevoked] = useState(false);
  const [expired, setExpired] = useState(() => (session ? isExpired(session) : false));
  // Switch to the "expired" page when the token runs out while the portal is open.
  useEffect(() => {
    if (!session?.expiresAt) return;
    const ms = session.expiresAt * 1000 - Date.now();
    if (ms <= 0) {
      setExpired(true);
      return;
    }
    const timer = setTimeout(() => setExpired(true), Math.min(ms, 2_147_000_000));
    return () => clearTimeout(timer);
  }, [session]);
  const client = useMemo(
    () =>
      session && apiBase !== null
        ? createApiClient({ baseUrl: apiBase, headers: { Authorization: `Bearer ${session.token}` }, onUnauthorized: () => setRevoked(true) })
        : null,
    [session, apiBase],
  );
  const queryClient = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
            refetchOnWindowFocus: false,
          },
        },
      }),
    [],
  );

  if (apiBase === null) return <SignedOut reason="untrustedApi" />;
  if (!initialToken) return <SignedOut reason="missing" />;
  if (!session || !client) return <SignedOut reason="invalid" />;
  if (expired) return <SignedOut reason="expired" />;
  if (revoked) return <SignedOut reason="revoked" />;
  return (
    <QueryClientProvider client={queryClient}>
      <ForbiddenHint.Provider value={t('app.forbidden')}>
        <ApiProvider value={{ client, session, apiBase }}>
          <Portal />
        </ApiProvider>
      </ForbiddenHint.Provider>
    </QueryClientProvider>
  );
}
