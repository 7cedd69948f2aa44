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
 * `/console/invite#hki_…`: take an invitation (single use). A new person sets a name and password;
 * a person with an account gives their current password. Then they are signed in, in its tenant.
 * The first start's owner link names no address, so the API asks for one (a 422 on `email`).
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
  return (
    <AuthLayout title="Join your team" footer={<Link to="/">I have an account: sign in instead</Link>}>
      <p className="muted">
        Choose your name and a password (at least 12 characters). If you already have an account with the invited address, give its current password.
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          setFieldErrors({});
          const body = { token, name: name.trim() || undefined, password, ...(askEmail ? { email: email.trim() } : {}) };
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
        {askEmail && (
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
        <Field label="Your name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} error={fieldErrors.name} />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErrors.password}
          required
        />
        {error ? <ErrorState error={error} title="Could not join." /> : null}
        <button type="submit" className="btn primary" disabled={busy}>
          Join and sign in
        </button>
      </form>
    </AuthLayout>
  );
}
