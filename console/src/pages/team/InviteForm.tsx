import { useId, useState } from 'react';
import { ApiError, CopyButton, ErrorState, formatTime, type Schemas } from '@hookline/ui';
import { useCan } from '../../api/me.ts';
import { Field } from '../../components/Field.tsx';
import { ROLES, useInvite, type Role } from './teamQueries.ts';

/** Invite an address with a role; the single-use link is shown (unless it went out by email). */
export function InviteForm() {
  const invite = useInvite();
  const isOwner = useCan('owner');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const [sent, setSent] = useState<(Schemas['InviteOut'] & { email: string }) | null>(null);
  const roleId = useId();
  const fields = invite.error instanceof ApiError ? invite.error.fieldErrors() : {};
  const otherError = invite.error && Object.keys(fields).length === 0 ? invite.error : null;
  // Only an owner may make owners (the API refuses an admin's owner invitation anyway).
  const roles = ROLES.filter((r) => isOwner || r !== 'owner');
  return (
    <div className="stack">
      <form
        className="inline-form"
        aria-label="Invite a member"
        onSubmit={(e) => {
          e.preventDefault();
          const to = email.trim();
          invite.mutate(
            { email: to, role },
            {
              onSuccess: (out) => {
                setSent({ ...out, email: to });
                setEmail('');
              },
            },
          );
        }}
      >
        <Field label="Email to invite" type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} required />
        <div className="field narrow-field">
          <label htmlFor={roleId}>Role</label>
          <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as Role)} aria-invalid={fields.role ? true : undefined}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          {fields.role && <p className="field-error">{fields.role}</p>}
        </div>
        <button type="submit" className="btn primary" disabled={invite.isPending}>
          Send invitation
        </button>
      </form>
      {otherError ? <ErrorState error={otherError} title="Could not invite." /> : null}
      {sent && (
        <div className="card stack" role="status">
          {sent.url ? (
            <>
              <p>
                Send this single-use link to <strong>{sent.email}</strong>. It works until {formatTime(sent.expiresAt)}.
              </p>
              <div className="facts-inline">
                <code className="secret break" aria-label="Invitation link">
                  {sent.url}
                </code>
                <CopyButton text={sent.url} label="Copy link" />
              </div>
            </>
          ) : (
            <p>
              The invitation went to <strong>{sent.email}</strong> by email. It works until {formatTime(sent.expiresAt)}.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
