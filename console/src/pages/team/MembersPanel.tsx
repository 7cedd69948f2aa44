import { useState } from 'react';
import { ConfirmDialog, DataTable, ErrorState, formatTime, Loading, Panel } from '@hookline/ui';
import { useCan, useMe } from '../../api/me.ts';
import { InviteForm } from './InviteForm.tsx';
import { ROLES, useChangeRole, useMembers, useRemoveMember, type Member, type Role } from './teamQueries.ts';

/** The tenant's members and their roles (manage): invite, change a role, remove. */
export function MembersPanel() {
  const members = useMembers();
  const changeRole = useChangeRole();
  const isOwner = useCan('owner');
  const myId = useMe().data?.id;
  const [removing, setRemoving] = useState<Member | null>(null);
  // Only owners manage owners: an admin sees an owner's row without controls. Your own row has none
  // either, so no one demotes or removes themselves by a slip (another owner or admin can).
  const manageable = (m: Member) => m.personId !== myId && (isOwner || m.role !== 'owner');
  return (
    <Panel title="Members">
      <InviteForm />
      {changeRole.error ? <ErrorState error={changeRole.error} title="Could not change the role." /> : null}
      {members.isPending ? (
        <Loading what="members" />
      ) : members.isError ? (
        <ErrorState error={members.error} retry={() => void members.refetch()} />
      ) : (
        <DataTable
          caption="Members"
          rows={members.data.data}
          rowKey={(m) => m.personId}
          rowAttributes={(m) => ({ 'data-person-id': m.personId })}
          columns={[
            {
              header: 'Name',
              cell: (m) => (
                <>
                  {m.name}
                  {m.personId === myId ? <span className="muted"> (you)</span> : null}
                </>
              ),
            },
            { header: 'Email', className: 'break', cell: (m) => m.email },
            {
              header: 'Role',
              cell: (m) =>
                manageable(m) ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    disabled={changeRole.isPending}
                    onChange={(e) => changeRole.mutate({ personId: m.personId, role: e.target.value as Role })}
                  >
                    {ROLES.filter((r) => isOwner || r !== 'owner').map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                ) : (
                  m.role
                ),
            },
            { header: 'Joined', className: 'nowrap', cell: (m) => formatTime(m.createdAt) },
            {
              header: 'Actions',
              headerHidden: true,
              cell: (m) =>
                manageable(m) && (
                  <button type="button" className="btn small danger" onClick={() => setRemoving(m)} aria-label={`Remove ${m.email}`}>
                    Remove
                  </button>
                ),
            },
          ]}
        />
      )}
      {removing && <RemoveDialog member={removing} onClose={() => setRemoving(null)} />}
    </Panel>
  );
}

function RemoveDialog({ member, onClose }: { member: Member; onClose: () => void }) {
  const remove = useRemoveMember();
  return (
    <ConfirmDialog
      title={`Remove ${member.email}?`}
      confirmLabel="Remove member"
      danger
      busy={remove.isPending}
      error={remove.error}
      onClose={onClose}
      onConfirm={() => remove.mutate(member.personId, { onSuccess: onClose })}
    >
      <p>They lose access to this tenant at once. Their account stays; invite them again to bring them back.</p>
    </ConfirmDialog>
  );
}
