import { useState } from 'react';
import { ErrorState } from '@hookline/ui';
import { requestPasswordReset } from '../api/passwordReset.ts';
import { Field } from '../components/Field.tsx';
import { useFormSubmission } from '../components/useFormSubmission.ts';
import { Link } from '../routing/router.tsx';
import { AuthLayout } from './AuthLayout.tsx';

/** "Forgot password": asks for a reset link by email. The API answers the same for every address, so this page does too. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { error, busy, submit } = useFormSubmission();
  return (
    <AuthLayout title="Reset your password" footer={<Link to="/">Back to sign-in</Link>}>
      {sent ? (
        <p role="status">
          If <strong>{email}</strong> has an account, a link to choose a new password is on its way. It works once and expires soon. No email? Check the address, or ask
          an owner of your team: this Hookline may not send email.
        </p>
      ) : (
        <form className="form" onSubmit={(e) => submit(e, () => requestPasswordReset(email.trim()).then(() => setSent(true)))}>
          <p className="muted">Give the address you sign in with; we send it a link to choose a new password.</p>
          <Field label="Email" type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
          {error ? <ErrorState error={error} title="Could not send the link." /> : null}
          <button type="submit" className="btn primary" disabled={busy}>
            Send reset link
          </button>
        </form>
      )}
    </AuthLayout>
  );
}
