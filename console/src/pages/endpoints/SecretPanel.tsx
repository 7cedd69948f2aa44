import { useId, useState } from 'react';
import { ApiError, CopyButton, ErrorState, Loading, Panel } from '@hookline/ui';
import { useCan } from '../../api/me.ts';
import { useEndpointSecret, useRotateSecret } from './useEndpoints.ts';

const MAX_GRACE_HOURS = 168;

/** The signing secret: revealed on request (`secret` access; each read is audited), rotated with a grace period (`write`). */
export function SecretPanel({ app, endpoint }: { app: string; endpoint: string }) {
  const id = useId();
  const canRead = useCan('secret');
  const canRotate = useCan('write');
  const [revealed, setRevealed] = useState(false);
  const [grace, setGrace] = useState('24');
  const [rotatedFor, setRotatedFor] = useState<number | null>(null);
  const secret = useEndpointSecret(app, endpoint, canRead && revealed);
  const rotate = useRotateSecret(app, endpoint);
  const hours = Number(grace);
  const graceValid = grace.trim() !== '' && Number.isFinite(hours) && hours >= 0 && hours <= MAX_GRACE_HOURS;
  const graceError = !graceValid ? `A number of hours from 0 to ${MAX_GRACE_HOURS}.` : graceFieldError(rotate.error);
  return (
    <Panel title="Signing secret">
      <p className="muted">Every attempt is signed with this secret (Standard Webhooks), so the receiver can check it came from Hookline.</p>
      {!canRead && <p className="muted small">Your role does not include reading signing secrets.</p>}
      {canRead && !revealed && (
        <button type="button" className="btn" onClick={() => setRevealed(true)}>
          Reveal secret
        </button>
      )}
      {canRead &&
        revealed &&
        (secret.isPending ? (
          <Loading what="the secret" />
        ) : secret.isError ? (
          <ErrorState error={secret.error} retry={() => void secret.refetch()} />
        ) : (
          <div className="actions">
            <code className="secret" data-testid="signing-secret">
              {secret.data.key}
            </code>
            <CopyButton text={secret.data.key} label="Copy secret" />
            <button type="button" className="btn small ghost" onClick={() => setRevealed(false)}>
              Hide secret
            </button>
          </div>
        ))}
      {canRotate && (
        <form
          className="inline-form"
          aria-label="Rotate the signing secret"
          onSubmit={(e) => {
            e.preventDefault();
            if (!graceValid) return;
            setRotatedFor(null);
            rotate.mutate(Math.round(hours * 3600), { onSuccess: () => setRotatedFor(hours) });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-grace`}>Grace period (hours)</label>
            <input
              id={`${id}-grace`}
              inputMode="decimal"
              value={grace}
              onChange={(e) => setGrace(e.target.value)}
              aria-invalid={graceError ? true : undefined}
              aria-describedby={`${id}-grace-hint${graceError ? ` ${id}-grace-error` : ''}`}
            />
            {graceError && (
              <p id={`${id}-grace-error`} className="field-error">
                {graceError}
              </p>
            )}
          </div>
          <button type="submit" className="btn" disabled={rotate.isPending || !graceValid}>
            Rotate secret
          </button>
          <p id={`${id}-grace-hint`} className="hint">
            A new secret signs at once; during the grace period every attempt carries the old secret's signature too, while the receiver switches over.
          </p>
        </form>
      )}
      {rotate.isError && !graceFieldError(rotate.error) && <ErrorState error={rotate.error} title="Could not rotate the secret." />}
      {rotatedFor !== null && (
        <p role="status" className="success-text">
          Secret rotated. The previous secret keeps signing for {rotatedFor} hour{rotatedFor === 1 ? '' : 's'}.
        </p>
      )}
    </Panel>
  );
}

/** The grace period's own 422 message, shown on its field; other errors go to the panel. */
function graceFieldError(error: unknown): string | undefined {
  return error instanceof ApiError ? error.fieldErrors().gracePeriodSeconds : undefined;
}
