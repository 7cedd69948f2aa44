import { useState } from 'react';
import { ApiError, CopyButton, ErrorState, formatTime, Panel, type ApiClient } from '@hookline/ui';
import { Field } from '../../components/Field.tsx';
import { TenantWithoutInvite, useCreateTenant, type CreatedTenant } from './useOperatorTenants.ts';

/**
 * A new tenant and the single-use link its first owner joins with (shown once, here: Hookline
 * keeps only its hash). If the invitation fails after the tenant was made, a retry invites only.
 */
export function CreateTenant({ client }: { client: ApiClient }) {
  const create = useCreateTenant(client);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [pending, setPending] = useState<{ id: string; name: string } | undefined>();
  const [created, setCreated] = useState<CreatedTenant | null>(null);

  const error = create.error;
  const cause = error instanceof TenantWithoutInvite ? error.reason : error;
  const fields = cause instanceof ApiError ? cause.fieldErrors() : {};
  const shownOnFields = Object.keys(fields).length > 0;

  return (
    <Panel title="Create a tenant">
      <p className="muted">A tenant is one customer of this Hookline, with its own applications, people and keys. Its first owner joins with the link shown here.</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          setCreated(null);
          create.mutate(
            { name: name.trim(), email: email.trim(), existing: pending },
            {
              onSuccess: (tenant) => {
                setCreated(tenant);
                setPending(undefined);
                setName('');
                setEmail('');
              },
              onError: (err) => {
                if (err instanceof TenantWithoutInvite) setPending(err.tenant);
              },
            },
          );
        }}
      >
        <div className="inline-form">
          <Field
            label="Tenant name"
            name="tenantName"
            value={name}
            onChange={(e) => setName(e.target.value)}
            disabled={pending !== undefined}
            error={fields.name}
            required
            autoComplete="off"
          />
          <Field
            label="First owner's email"
            name="ownerEmail"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fields.email}
            required
            autoComplete="off"
          />
        </div>
        {error && !shownOnFields ? (
          <ErrorState error={cause} title={pending ? `Tenant ${pending.name} (${pending.id}) was created, but not its invitation.` : 'Could not create the tenant.'} />
        ) : null}
        {pending && shownOnFields && (
          <p className="hint" role="status">
            Tenant {pending.name} ({pending.id}) was created; correct the address to invite its owner.
          </p>
        )}
        <div className="actions">
          <button type="submit" className="btn primary" disabled={create.isPending}>
            {pending ? 'Invite the owner' : 'Create tenant'}
          </button>
        </div>
      </form>
      {created && (
        <div className="stack" role="status">
          <p className="success-text">
            Created <strong>{created.name}</strong> (<code>{created.id}</code>). Send this link to its first owner; it works once, until {formatTime(created.expiresAt)}.
          </p>
          <div className="facts-inline">
            <span>Invitation link:</span>
            <code className="secret">{created.inviteUrl}</code>
            <CopyButton text={created.inviteUrl} label="Copy invitation link" />
          </div>
        </div>
      )}
    </Panel>
  );
}
