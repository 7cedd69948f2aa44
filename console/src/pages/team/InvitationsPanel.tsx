import { useState } from 'react';
import { ConfirmDialog, CopyButton, DataTable, ErrorState, formatTime, Loading, Panel, type Schemas } from '@hookline/ui';
import { useCan } from '../../api/me.ts';
import { usePendingInvites, useResendInvite, useRevokeInvite, type PendingInvite } from './teamQueries.ts';

/**
 * Invitations sent and not taken yet (manage): send one again (a new link; the old one stops
 * working) or revoke it (its link stops working). Only owners touch an owner's invitation.
 */
export function InvitationsPanel() {
  const invites = usePendingInvites();
  const resend = useResendInvite();
  const isOwner = useCan('owner');
  const [revoking, setRevoking] = useState<PendingInvite | null>(null);
  const [resent, setResent] = useState<(Schemas['InviteOut'] & { to: string }) | null>(null);
  const manageable = (i: PendingInvite) => isOwner || i.role !== 'owner';
  const who = (i: PendingInvite) => i.email ?? 'a link naming no address';
  return (
    <Panel title="Pending invitations">
      {resend.error ? <ErrorState error={resend.error} title="Could not send the invitation again." /> : null}
      {resent && (
        <div className="card stack" role="status">
          {resent.url ? (
            <>
              <p>
                A new link for <strong>{resent.to}</strong>; the previous one no longer works. It works until {formatTime(resent.expiresAt)}.
              </p>
              <div className="facts-inline">
                <code className="secret break" aria-label="New invitation link">
                  {resent.url}
                </code>
                <CopyButton text={resent.url} label="Copy link" />
              </div>
            </>
          ) : (
            <p>
              A new link went to <strong>{resent.to}</strong> by email; the previous one no longer works.
            </p>
          )}
        </div>
      )}
      {invites.isPending ? (
        <Loading what="invitations" />
      ) : invites.isError ? (
        <ErrorState error={invites.error} retry={() => void invites.refetch()} />
      ) : invites.data.data.length === 0 ? (
        <p className="muted">No invitation is waiting to be taken.</p>
      ) : (
        <DataTable
          caption="Pending invitations"
          rows={invites.data.data}
          rowKey={(i) => i.id}
          rowAttributes={(i) => ({ 'data-invite-id': i.id })}
          columns={[
            { header: 'Email', className: 'break', cell: who },
            { header: 'Role', cell: (i) => i.role },
            { header: 'Invited by', cell: (i) => (i.invitedBy ? i.invitedBy.name || i.invitedBy.email || i.invitedBy.personId : 'an API key or the operator') },
            { header: 'Expires', className: 'nowrap', cell: (i) => formatTime(i.expiresAt) },
            {
              header: 'Actions',
              headerHidden: true,
              cell: (i) =>
                manageable(i) && (
                  <div className="actions">
                    <button
                      type="button"
                      className="btn small"
                      disabled={resend.isPending}
                      aria-label={`Resend the invitation of ${who(i)}`}
                      onClick={() => resend.mutate(i.id, { onSuccess: (out) => setResent({ ...out, to: who(i) }) })}
                    >
                      Resend
                    </button>
                    <button type="button" className="btn small danger" aria-label={`Revoke the invitation of ${who(i)}`} onClick={() => setRevoking(i)}>
                      Revoke
                    </button>
                  </div>
                ),
            },
          ]}
        />
      )}
      {revoking && <RevokeDialog invite={revoking} onClose={() => setRevoking(null)} />}
    </Panel>
  );
}

function RevokeDialog({ invite, onClose }: { invite: PendingInvite; onClose: () => void }) {
  const revoke = useRevokeInvite();
  return (
    <ConfirmDialog
      title="Revoke this invitation?"
      confirmLabel="Revoke"
      danger
      busy={revoke.isPending}
      error={revoke.error}
      onClose={onClose}
      onConfirm={() => revoke.mutate(invite.id, { onSuccess: onClose })}
    >
      <p>
        The link sent to <strong>{invite.email ?? 'the invitee'}</strong> stops working. You can invite the address again later.
      </p>
    </ConfirmDialog>
  );
}
