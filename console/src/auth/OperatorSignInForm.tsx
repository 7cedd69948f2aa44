import { useState } from 'react';
import { ErrorState } from '@hookline/ui';
import { createOperatorClient } from '../api/client.ts';
import { useOperator } from '../api/operator.tsx';
import { Field } from '../components/Field.tsx';
import { useFormSubmission } from '../components/useFormSubmission.ts';

/**
 * The operator's sign-in: the installation's HOOKLINE_ADMIN_TOKEN, checked with one /admin/v1 call
 * before it is kept (in sessionStorage, for this tab only).
 */
export function OperatorSignInForm() {
  const operator = useOperator();
  const [token, setToken] = useState('');
  const { error, busy, submit } = useFormSubmission();
  return (
    <form
      className="form"
      onSubmit={(e) => {
        const candidate = token.trim();
        submit(e, () =>
          createOperatorClient(candidate)
            .request('get', '/admin/v1/tenants', { query: { limit: 1 } })
            .then(() => operator.signIn(candidate)),
        );
      }}
    >
      <p className="muted">The operator token (HOOKLINE_ADMIN_TOKEN) manages every tenant of this Hookline. It is kept for this browser tab only.</p>
      <Field label="Operator token" type="password" name="operator-token" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
      {error ? <ErrorState error={error} title="Could not sign in as the operator." /> : null}
      <button type="submit" className="btn primary" disabled={busy}>
        Sign in as operator
      </button>
    </form>
  );
}
