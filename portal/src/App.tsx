import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, createApiClient, ForbiddenHint } from '@hookline/ui';
import { ApiProvider } from './api/apiContext.tsx';
import { decodePortalToken, isExpired } from './api/session.ts';
import { Portal } from './components/Portal.tsx';

type SignedOutReason = 'missing' | 'invalid' | 'expired' | 'revoked' | 'untrustedApi';

export function SignedOut({ reason }: { reason: SignedOutReason }) {
  const text: Record<SignedOutReason, string> = {
    missing: 'This page needs a portal link. Open the webhooks portal again from the product you use, which creates a fresh link.',
    invalid: 'The link you opened is not a valid portal link. Open the webhooks portal again from the product you use.',
    expired: 'Your portal session has expired. Open the webhooks portal again from the product you use to get a new link.',
    revoked: 'This portal link is no longer valid (it was revoked or has expired). Open the webhooks portal again from the product you use.',
    untrustedApi: 'This link points the portal at a server it may not use, so it did not open. Open the webhooks portal again from the product you use.',
  };
  const title: Record<SignedOutReason, string> = {
    missing: 'Sign-in link needed',
    invalid: 'Invalid link',
    expired: 'Session expired',
    revoked: 'Access revoked',
    untrustedApi: 'Link not allowed',
  };
  return (
    <main className="signed-out">
      <div className="card narrow">
        <h1>{title[reason]}</h1>
        <p role="alert">{text[reason]}</p>
      </div>
    </main>
  );
}

/** `apiBase` null: the link named an API origin this portal may not use (see resolveApiBase). */
export function App({ initialToken, apiBase }: { initialToken: string | null; apiBase: string | null }) {
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
      <ForbiddenHint.Provider value="Your access does not allow this. Ask the product you use for a portal link with more rights.">
        <ApiProvider value={{ client, session }}>
          <Portal />
        </ApiProvider>
      </ForbiddenHint.Provider>
    </QueryClientProvider>
  );
}
