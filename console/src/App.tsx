import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, type ComponentType } from 'react';
import { ApiError, ErrorState, ForbiddenHint, Loading } from '@hookline/ui';
import { ConsoleApiProvider } from './api/apiContext.tsx';
import { createConsoleClient } from './api/client.ts';
import { ME_KEY, useMe } from './api/me.ts';
import { OperatorProvider, useOperator } from './api/operator.tsx';
import { AuthLayout } from './auth/AuthLayout.tsx';
import { ForgotPasswordPage } from './auth/ForgotPasswordPage.tsx';
import { InvitePage } from './auth/InvitePage.tsx';
import { rememberTenant } from './auth/lastTenant.ts';
import { OperatorSignInForm } from './auth/OperatorSignInForm.tsx';
import { ResetPasswordPage } from './auth/ResetPasswordPage.tsx';
import { SignInPage } from './auth/SignInPage.tsx';
import { Link, navigate, segmentsOf, usePath } from './routing/router.tsx';
import { Shell } from './shell/Shell.tsx';

/** Pages for people who are not signed in (an invitation, a password reset), shown whatever the session. */
const PUBLIC_PAGES: Record<string, ComponentType> = {
  invite: InvitePage,
  reset: ResetPasswordPage,
  'forgot-password': ForgotPasswordPage,
};

export function App({ queryClient: given }: { queryClient?: QueryClient } = {}) {
  const queryClient = useMemo(
    () =>
      given ??
      new QueryClient({
        defaultOptions: {
          queries: { retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2, refetchOnWindowFocus: false },
        },
      }),
    [given],
  );
  // Any 401 means the session ended (expired, revoked, signed out elsewhere): back to sign-in.
  const client = useMemo(() => createConsoleClient(() => queryClient.setQueryData(ME_KEY, null)), [queryClient]);
  return (
    <QueryClientProvider client={queryClient}>
      <ConsoleApiProvider client={client}>
        <OperatorProvider>
          <ForbiddenHint.Provider value="Your role in this tenant does not allow this. Ask an owner or admin.">
            <Root />
          </ForbiddenHint.Provider>
        </OperatorProvider>
      </ConsoleApiProvider>
    </QueryClientProvider>
  );
}

function Root() {
  const path = usePath();
  const first = segmentsOf(path)[0] ?? '';
  const me = useMe();
  const operator = useOperator();
  useEffect(() => rememberTenant(me.data?.currentTenantId), [me.data?.currentTenantId]);
  const signedIn = Boolean(me.data) || operator.token !== null;
  // The sign-in address itself, once signed in, leads to the overview.
  useEffect(() => {
    if (signedIn && first === 'sign-in') navigate('/', { replace: true });
  }, [signedIn, first]);

  const Public = PUBLIC_PAGES[first];
  if (Public) return <Public />;
  if (me.isPending) return <Loading what="the console" />;
  if (me.isError) {
    return (
      <AuthLayout title="The console cannot reach Hookline">
        <ErrorState error={me.error} retry={() => void me.refetch()} />
      </AuthLayout>
    );
  }
  if (!signedIn) {
    if (first !== 'operator') return <SignInPage />;
    return (
      <AuthLayout title="Operator sign-in" footer={<Link to="/">Sign in with your account instead</Link>}>
        <OperatorSignInForm />
      </AuthLayout>
    );
  }
  return <Shell path={path} />;
}
