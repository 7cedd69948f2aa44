import { useState } from 'react';
import { ErrorState } from '@hookline/ui';
import { useConsoleApi } from '../api/apiContext.tsx';
import { useSignedIn, type Me } from '../api/me.ts';
import { Field } from '../components/Field.tsx';
import { useFormSubmission } from '../components/useFormSubmission.ts';
import { Link } from '../routing/router.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { lastTenant } from './lastTenant.ts';
import { SecondFactorForm } from './SecondFactorForm.tsx';
import { SsoRefusal, SsoSignIn } from './SsoSignIn.tsx';

/** What sign-in and taking an invitation answer: the person, or a request for the second factor. */
export type SignInAnswer = Me | { secondFactorRequired: true; expiresAt: string };
export const needsSecondFactor = (answer: SignInAnswer): answer is { secondFactorRequired: true; expiresAt: string } => 'secondFactorRequired' in answer;

/** Shown at any console address while signed out; once signed in, the same address shows its page. */
export function SignInPage() {
  const [step, setStep] = useState<'password' | 'second-factor'>('password');
  return (
    <AuthLayout
      title={step === 'second-factor' ? 'Two-step sign-in' : 'Sign in'}
      footer={
        <>
          <Link to="/forgot-password">Forgot your password?</Link>
          <Link to="/operator">Operator sign-in</Link>
        </>
      }
    >
      {step === 'second-factor' ? (
        <SecondFactorForm onRestart={() => setStep('password')} />
      ) : (
        <>
          <SsoRefusal />
          <PasswordForm onSecondFactor={() => setStep('second-factor')} />
          <SsoSignIn />
        </>
      )}
    </AuthLayout>
  );
}

function PasswordForm({ onSecondFactor }: { onSecondFactor: () => void }) {
  const client = useConsoleApi();
  const signedIn = useSignedIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useFormSubmission();
  return (
    <form
      className="form"
      onSubmit={(e) =>
        submit(e, () =>
          client
            .request('post', '/console/v1/auth/sign-in', { body: { email, password, tenantId: lastTenant() ?? undefined } })
            .then((answer: SignInAnswer) => (needsSecondFactor(answer) ? onSecondFactor() : signedIn(answer))),
        )
      }
    >
      <Field label="Email" type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
      <Field label="Password" type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      {error ? <ErrorState error={error} title="Could not sign in." /> : null}
      <button type="submit" className="btn primary" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
