import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, CopyButton, ErrorState, Panel, type Schemas } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';
import { ME_KEY, useMe } from '../../api/me.ts';
import { Field } from '../../components/Field.tsx';

// Two-step sign-in (TOTP) for the signed-in person: /console/v1/me says whether it is on, so only
// the way that applies is offered. It guards password sign-in, so an SSO-only person has no use for it.

type Step = { at: 'start' } | { at: 'confirm'; enrolment: Schemas['TotpEnrolmentOut'] } | { at: 'done'; recoveryCodes: string[] } | { at: 'off' };

export function TwoStepPanel() {
  const client = useConsoleApi();
  const queryClient = useQueryClient();
  const me = useMe().data;
  const [step, setStep] = useState<Step>({ at: 'start' });
  const [code, setCode] = useState('');
  const refreshMe = () => void queryClient.invalidateQueries({ queryKey: ME_KEY });
  const enrol = useMutation({ mutationFn: () => client.request('post', '/console/v1/me/totp'), onSuccess: (enrolment) => setStep({ at: 'confirm', enrolment }) });
  const confirm = useMutation({
    mutationFn: (c: string) => client.request('post', '/console/v1/me/totp/confirm', { body: { code: c } }),
    onSuccess: (out) => {
      setStep({ at: 'done', recoveryCodes: out.recoveryCodes });
      refreshMe();
    },
  });
  const on = me?.totpEnabled === true;
  if (me && !me.hasPassword) {
    return (
      <Panel title="Two-step sign-in">
        <p className="muted">You sign in with single sign-on: your provider asks for any second factor. Two-step sign-in here guards password sign-in only.</p>
      </Panel>
    );
  }
  return (
    <Panel title="Two-step sign-in">
      <p className="muted">With two-step sign-in on, signing in with your password also asks for a code from an authenticator app.</p>
      <p data-testid="totp-state">
        Two-step sign-in: <span className={on ? 'badge badge-enabled' : 'badge'}>{on ? 'On' : 'Off'}</span>
      </p>
      {step.at === 'start' && (
        <>
          {enrol.error ? <ErrorState error={enrol.error} title="Could not start." /> : null}
          <div className="actions">
            {on ? (
              <button type="button" className="btn" onClick={() => setStep({ at: 'off' })}>
                Turn off two-step sign-in
              </button>
            ) : (
              <button type="button" className="btn primary" disabled={enrol.isPending || !me} onClick={() => enrol.mutate()}>
                Turn on two-step sign-in
              </button>
            )}
          </div>
        </>
      )}
      {step.at === 'confirm' && (
        <form
          className="form"
          aria-label="Confirm two-step sign-in"
          onSubmit={(e) => {
            e.preventDefault();
            confirm.mutate(code.trim());
          }}
        >
          <p>Add this key to your authenticator app (or open the link on your phone), then enter the code it shows.</p>
          <div className="facts-inline">
            <code className="secret break" aria-label="Authenticator key">
              {step.enrolment.secret}
            </code>
            <CopyButton text={step.enrolment.secret} label="Copy key" />
            <a href={step.enrolment.uri}>Open in authenticator app</a>
          </div>
          <Field
            label="Code from the app"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={confirm.error instanceof ApiError ? (confirm.error.fieldErrors().code ?? confirm.error.message) : undefined}
            required
          />
          <div className="actions">
            <button type="submit" className="btn primary" disabled={confirm.isPending}>
              Confirm
            </button>
          </div>
        </form>
      )}
      {step.at === 'done' && (
        <div className="stack" role="status">
          <p>
            <strong>Two-step sign-in is on.</strong> Keep these recovery codes somewhere safe: each signs you in once without the app. They are not shown again.
          </p>
          <pre className="code" aria-label="Recovery codes" tabIndex={0}>
            {step.recoveryCodes.join('\n')}
          </pre>
          <div className="actions">
            <CopyButton text={step.recoveryCodes.join('\n')} label="Copy recovery codes" />
          </div>
        </div>
      )}
      {step.at === 'off' && (
        <TurnOffForm
          onCancel={() => setStep({ at: 'start' })}
          onDone={() => {
            setStep({ at: 'start' });
            refreshMe();
          }}
        />
      )}
    </Panel>
  );
}

function TurnOffForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const client = useConsoleApi();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const disable = useMutation({ mutationFn: (body: Schemas['TotpDisableIn']) => client.request('post', '/console/v1/me/totp/disable', { body }), onSuccess: onDone });
  const fields = disable.error instanceof ApiError ? disable.error.fieldErrors() : {};
  const otherError = disable.error && Object.keys(fields).length === 0 ? disable.error : null;
  return (
    <form
      className="form"
      aria-label="Turn off two-step sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        disable.mutate({ password, code: code.trim() });
      }}
    >
      <Field
        label="Your password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fields.password}
        required
      />
      <Field label="Code or recovery code" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} error={fields.code} required />
      {otherError ? <ErrorState error={otherError} title="Could not turn it off." /> : null}
      <div className="actions">
        <button type="submit" className="btn danger" disabled={disable.isPending}>
          Turn off
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
