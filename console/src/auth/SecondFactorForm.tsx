import { useState } from 'react';
import { ErrorState } from '@hookline/ui';
import { useConsoleApi } from '../api/apiContext.tsx';
import { useSignedIn } from '../api/me.ts';
import { Field } from '../components/Field.tsx';
import { useFormSubmission } from '../components/useFormSubmission.ts';

/**
 * The second step of a sign-in (password or invitation) when the account has TOTP on: a code from
 * the authenticator app, or one of the recovery codes. The pending sign-in rides in its own cookie.
 */
export function SecondFactorForm({ onRestart }: { onRestart: () => void }) {
  const client = useConsoleApi();
  const signedIn = useSignedIn();
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const { error, busy, submit } = useFormSubmission();
  return (
    <form
      className="form"
      onSubmit={(e) => submit(e, () => client.request('post', '/console/v1/auth/totp', { body: { code: code.replace(/\s+/g, '') } }).then(signedIn))}
    >
      <p className="muted">
        {recovery
          ? 'Enter one of the recovery codes you saved when you turned on two-step sign-in. Each works once.'
          : 'Enter the 6-digit code from your authenticator app.'}
      </p>
      <Field
        label={recovery ? 'Recovery code' : 'Authentication code'}
        name="code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        autoComplete="one-time-code"
        inputMode={recovery ? 'text' : 'numeric'}
        required
        autoFocus
      />
      {error ? <ErrorState error={error} title="Could not sign in." /> : null}
      <button type="submit" className="btn primary" disabled={busy}>
        Verify
      </button>
      <div className="actions">
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setRecovery(!recovery);
            setCode('');
          }}
        >
          {recovery ? 'Use a code from the app instead' : 'Use a recovery code'}
        </button>
        <button type="button" className="link-button" onClick={onRestart}>
          Start over
        </button>
      </div>
    </form>
  );
}
