import { useId, useState } from 'react';
import { ApiError, ConfirmDialog, CopyButton, ErrorState, Loading, Panel, type Schemas } from '@hookline/ui';
import { Field } from '../../components/Field.tsx';
import { useDeleteSso, useSaveSso, useSsoConfig } from './teamQueries.ts';

type SsoConfig = Schemas['SsoConfigOut'];
type SsoRole = Schemas['SsoRole'];

/** Single sign-on with the tenant's OpenID provider (owner only). */
export function SsoPanel() {
  const config = useSsoConfig();
  return (
    <Panel title="Single sign-on">
      {config.isPending ? (
        <Loading what="single sign-on" />
      ) : config.isError ? (
        <ErrorState error={config.error} retry={() => void config.refetch()} />
      ) : (
        <SsoForm key={config.data?.updatedAt ?? 'new'} current={config.data} />
      )}
    </Panel>
  );
}

function SsoForm({ current }: { current: SsoConfig | null }) {
  const save = useSaveSso();
  const [removing, setRemoving] = useState(false);
  const [issuer, setIssuer] = useState(current?.issuer ?? '');
  const [clientId, setClientId] = useState(current?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [domains, setDomains] = useState(current?.allowedEmailDomains.join(', ') ?? '');
  const [defaultRole, setDefaultRole] = useState<SsoRole>(current?.defaultRole ?? 'viewer');
  const [jit, setJit] = useState(current?.jitProvisioning ?? false);
  const [enabled, setEnabled] = useState(current?.enabled ?? true);
  const roleId = useId();
  const fields = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const otherError = save.error && Object.keys(fields).length === 0 ? save.error : null;
  return (
    <form
      className="form"
      aria-label="Single sign-on settings"
      onSubmit={(e) => {
        e.preventDefault();
        const allowedEmailDomains = domains
          .split(/[\s,]+/)
          .map((d) => d.trim())
          .filter(Boolean);
        save.mutate({
          issuer: issuer.trim(),
          clientId: clientId.trim(),
          ...(clientSecret ? { clientSecret } : {}),
          allowedEmailDomains,
          defaultRole,
          jitProvisioning: jit,
          enabled,
        });
      }}
    >
      {current ? (
        <div className="facts-inline">
          <span className="muted">Redirect URI to register at the provider:</span>
          <code className="break">{current.redirectUri}</code>
          <CopyButton text={current.redirectUri} label="Copy redirect URI" />
        </div>
      ) : (
        <p className="muted">Not set up. Members sign in with a password (and two-step sign-in if they turned it on).</p>
      )}
      <Field
        label="Issuer"
        type="url"
        value={issuer}
        onChange={(e) => setIssuer(e.target.value)}
        error={fields.issuer}
        required
        placeholder="https://login.example.com"
      />
      <Field label="Client ID" value={clientId} onChange={(e) => setClientId(e.target.value)} error={fields.clientId} required />
      <Field
        label="Client secret"
        type="password"
        autoComplete="off"
        value={clientSecret}
        onChange={(e) => setClientSecret(e.target.value)}
        error={fields.clientSecret}
        hint={current?.clientSecretSet ? 'Set. Leave empty to keep it.' : undefined}
      />
      <Field
        label="Allowed email domains"
        value={domains}
        onChange={(e) => setDomains(e.target.value)}
        error={fields.allowedEmailDomains}
        hint="Comma-separated, e.g. example.com"
      />
      <div className="field narrow-field">
        <label htmlFor={roleId}>Role of new people</label>
        <select id={roleId} value={defaultRole} onChange={(e) => setDefaultRole(e.target.value as SsoRole)}>
          <option value="admin">admin</option>
          <option value="developer">developer</option>
          <option value="viewer">viewer</option>
        </select>
      </div>
      <label className="check">
        <input type="checkbox" checked={jit} onChange={(e) => setJit(e.target.checked)} />
        <span>Add people from these domains at their first sign-in</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        <span>Single sign-on is on</span>
      </label>
      {otherError ? <ErrorState error={otherError} title="Could not save single sign-on." /> : null}
      <div className="actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          Save single sign-on
        </button>
        {current && (
          <button type="button" className="btn danger" onClick={() => setRemoving(true)}>
            Remove single sign-on
          </button>
        )}
      </div>
      {removing && <RemoveSsoDialog onClose={() => setRemoving(false)} />}
    </form>
  );
}

function RemoveSsoDialog({ onClose }: { onClose: () => void }) {
  const remove = useDeleteSso();
  return (
    <ConfirmDialog
      title="Remove single sign-on?"
      confirmLabel="Remove"
      danger
      busy={remove.isPending}
      error={remove.error}
      onClose={onClose}
      onConfirm={() => remove.mutate(undefined, { onSuccess: onClose })}
    >
      <p>Members keep their accounts; those without a password set one through “Forgot password”.</p>
    </ConfirmDialog>
  );
}
