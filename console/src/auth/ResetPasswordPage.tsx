import { useState } from 'react';
import { ApiError, ErrorState } from '@hookline/ui';
import { completePasswordReset } from '../api/passwordReset.ts';
import { Field } from '../components/Field.tsx';
import { useFormSubmission } from '../components/useFormSubmission.ts';
import { Link } from '../routing/router.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { takeFragmentToken } from './fragmentToken.ts';

/** `/console/reset#hkr_…`, the page the reset email links to: choose a new password, then sign in with it. */
export function ResetPasswordPage() {
  const [token] = useState(() => takeFragmentToken('hkr_'));
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const { error, busy, submit } = useFormSubmission();
  const mismatch = repeat.length > 0 && repeat !== password ? 'The two passwords differ.' : undefined;

  if (!token) {
    return (
      <AuthLayout title="Reset link needed" footer={<Link to="/forgot-password">Ask for a new link</Link>}>
        <p role="alert">This page takes the link from a password-reset email (it ends in #hkr_…). Open it again, or ask for a new one.</p>
      </AuthLayout>
    );
  }
  if (done) {
    return (
      <AuthLayout title="Password changed" footer={<Link to="/">Sign in</Link>}>
        <p role="status">Your password is changed. Sign in with the new one.</p>
      </AuthLayout>
    );
  }
  const fieldError = error instanceof ApiError ? error.fieldErrors().password : undefined;
  return (
    <AuthLayout title="Choose a new password" footer={<Link to="/">Back to sign-in</Link>}>
      <form className="form" onSubmit={(e) => (mismatch ? e.preventDefault() : submit(e, () => completePasswordReset(token, password).then(() => setDone(true))))}>
        <Field
          label="New password"
          type="password"
          name="password"
          autoComplete="new-password"
          hint="At least 12 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError}
          required
          autoFocus
        />
        <Field
          label="Repeat it"
          type="password"
          name="repeat"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={mismatch}
          required
        />
        {error && !fieldError ? <ErrorState error={error} title="Could not change the password." /> : null}
        <button type="submit" className="btn primary" disabled={busy}>
          Change password
        </button>
      </form>
    </AuthLayout>
  );
}
