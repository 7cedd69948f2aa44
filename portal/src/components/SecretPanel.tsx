import { useId, useState } from 'react';
import { useCan } from '../api/apiContext.tsx';
import { useEndpointSecret, useRotateSecret } from '../api/useEndpointSecret.ts';
import { CopyButton, ErrorState, Loading, Panel } from '@hookline/ui';

const VERIFY_SNIPPET = `import { Webhook } from 'standardwebhooks';

// Your endpoint's signing secret (keep it out of source control).
const wh = new Webhook(process.env.WEBHOOK_SECRET.replace(/^whsec_/, ''));

// In your handler: pass the raw request body (a string, not parsed JSON)
// and the headers webhook-id, webhook-timestamp and webhook-signature.
const payload = wh.verify(rawBody, {
  'webhook-id': req.headers['webhook-id'],
  'webhook-timestamp': req.headers['webhook-timestamp'],
  'webhook-signature': req.headers['webhook-signature'],
}); // throws if the signature or the timestamp is wrong`;

export function SecretPanel({ endpoint }: { endpoint: string }) {
  const id = useId();
  const canView = useCan('ViewEndpointSecret');
  const canRotate = useCan('ManageEndpointSecret');
  const [revealed, setRevealed] = useState(false);
  const [grace, setGrace] = useState('24');
  const [rotated, setRotated] = useState(false);
  const secret = useEndpointSecret(endpoint, revealed);
  const rotate = useRotateSecret();
  const graceHours = Number(grace);
  const graceValid = Number.isFinite(graceHours) && graceHours >= 0 && graceHours <= 168;
  return (
    <Panel title="Signing secret">
      <p className="muted">Every webhook is signed with this secret so your server can check that it came from us.</p>
      {!canView && <p className="muted small">Your access does not include viewing the signing secret.</p>}
      {canView && !revealed && (
        <button type="button" className="btn" onClick={() => setRevealed(true)}>
          Reveal secret
        </button>
      )}
      {canView &&
        revealed &&
        (secret.isPending ? (
          <Loading what="the secret" />
        ) : secret.isError ? (
          <ErrorState error={secret.error} />
        ) : (
          <div className="secret-row">
            <code className="secret" aria-label="Signing secret">
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
          className="inline-form rotate"
          onSubmit={(e) => {
            e.preventDefault();
            if (!graceValid) return;
            setRotated(false);
            rotate.mutate({ id: endpoint, gracePeriodSeconds: Math.round(graceHours * 3600) }, { onSuccess: () => setRotated(true) });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-grace`}>Grace period (hours)</label>
            <input
              id={`${id}-grace`}
              inputMode="decimal"
              value={grace}
              onChange={(e) => setGrace(e.target.value)}
              aria-invalid={!graceValid}
              aria-describedby={`${id}-grace-hint`}
            />
          </div>
          <button type="submit" className="btn" disabled={rotate.isPending || !graceValid}>
            Rotate secret
          </button>
          <p id={`${id}-grace-hint`} className="hint">
            Rotating creates a new secret at once. During the grace period, every webhook is signed with both the old and the new secret, so your server keeps accepting
            them while you deploy the new one (0 to 168 hours).
          </p>
        </form>
      )}
      {rotate.isError && <ErrorState error={rotate.error} />}
      {rotated && (
        <p role="status" className="success-text">
          Secret rotated. The previous secret stays valid for {graceHours} hour{graceHours === 1 ? '' : 's'}.
        </p>
      )}
      <details className="snippet">
        <summary>
          How to verify a webhook (Node.js, <code>standardwebhooks</code>)
        </summary>
        <pre className="code">{VERIFY_SNIPPET}</pre>
        <CopyButton text={VERIFY_SNIPPET} label="Copy snippet" />
      </details>
    </Panel>
  );
}
