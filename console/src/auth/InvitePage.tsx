import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, ErrorState } from '@hookline/ui';
import { useConsoleApi } from '../api/apiContext.tsx';
import { useSignedIn } from '../api/me.ts';
import { Field } from '../components/Field.tsx';
import { Link, navigate } from '../routing/router.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { takeFragmentToken } from './fragmentToken.ts';
import { SecondFactorForm } from './SecondFactorForm.tsx';
import { needsSecondFactor, type SignInAnswer } from './SignInPage.tsx';

/**
 * `/console/invite#hki_…`: take an invitation (single use). The page first asks what the link is
 * for (/console/v1/invites/preview, which takes nothing): a new person sets a name and password; a
 * person with an account gives their current password; a link that names no address (the first
 * start's owner link) asks for one. Then they are signed in, in its tenant.
 */
export function InvitePage() {
  const client = useConsoleApi();
  const signedIn = useSignedIn();
  const [token] = useState(() => takeFragmentToken('hki_'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [askEmail, setAskEmail] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [secondFactor, setSecondFactor] = useState(false);
  const preview = useQuery({
    queryKey: ['invite-preview', token],
    queryFn: () => client.request('post', '/console/v1/invites/preview', { body: { token: token! } }),
    enabled: token !== null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });

  if (!token) {
    return (
      <AuthLayout title="Invitation link needed" footer={<Link to="/">Sign in</Link>}>
        <p role="alert">This page takes an invitation link (it ends in #hki_…). Open the link from your invitation again, or ask an owner of your team for a new one.</p>
      </AuthLayout>
    );
  }
  if (secondFactor) {
    return (
      <AuthLayout title="Two-step sign-in">
        <p>You have joined. Your account has two-step sign-in on, so finish signing in with your code.</p>
        <SecondFactorForm onRestart={() => navigate('/', { replace: true })} />
      </AuthLayout>
    );
  }
  if (preview.isError) {
    return (
      <AuthLayout title="Invitation not valid" footer={<Link to="/">Sign in</Link>}>
        <ErrorState error={preview.error} title="This invitation cannot be used." />
        <p>Ask an owner or admin of your team for a new invitation.</p>
      </AuthLayout>
    );
  }
  const invite = preview.data;
  const hasAccount = invite?.hasAccount === true;
  const needsEmail = askEmail || invite?.email === null;
  return (
    <AuthLayout title="Join your team" footer={<Link to="/">I have an account: sign in instead</Link>}>
      {invite ? (
        <p>
          You are invited to <strong>{invite.tenantName}</strong> as <strong>{invite.role}</strong>
          {invite.email ? <> ({invite.email})</> : null}.{' '}
          {hasAccount ? 'This address has an account: give its current password.' : 'Choose your name and a password (at least 12 characters).'}
        </p>
      ) : (
        <p className="muted">Checking your invitation…</p>
      )}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          setFieldErrors({});
          const body = { token, name: name.trim() || undefined, password, ...(needsEmail ? { email: email.trim() } : {}) };
          client.request('post', '/console/v1/invites/accept', { body }).then(
            (answer: SignInAnswer) => {
              if (needsSecondFactor(answer)) setSecondFactor(true);
              else {
                signedIn(answer);
                navigate('/', { replace: true });
              }
            },
            (err: unknown) => {
              setBusy(false);
              const fields = err instanceof ApiError ? err.fieldErrors() : {};
              if (fields.email) setAskEmail(true);
              if (Object.keys(fields).length > 0) setFieldErrors(fields);
              else setError(err);
            },
          );
        }}
      >
        {needsEmail && (
          <Field
            label="Your email"
            type="email"
            name="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldErrors.email}
            required
          />
        )}
        {hasAccount ? null : <Field label="Your name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} error={fieldErrors.name} />}
        <Field
          label={hasAccount ? 'Current password' : 'Password'}
          type="password"
          name="password"
          autoComplete={hasAccount ? 'current-password' : 'new-password'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErrors.password}
          required
        />
        {error ? <ErrorState error={error} title="Could not join." /> : null}
        <button type="submit" className="btn primary" disabled={busy || !invite}>
          Join and sign in
        </button>
      </form>
    </AuthLayout>
  );
}
