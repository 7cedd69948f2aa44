import { useCan } from '../../api/me.ts';
import { PageHeader } from '../../shell/PageHeader.tsx';
import type { PageProps } from '../pageProps.ts';
import { InvitationsPanel } from './InvitationsPanel.tsx';
import { MembersPanel } from './MembersPanel.tsx';
import { SessionsPanel } from './SessionsPanel.tsx';
import { SsoPanel } from './SsoPanel.tsx';
import { TwoStepPanel } from './TwoStepPanel.tsx';

/**
 * Everyone's own sessions and two-step sign-in; the tenant's members and pending invitations for owners and admins
 * (`manage`), its single sign-on for owners. A role sees only the parts it may use.
 */
export default function TeamPage(_props: PageProps) {
  const canManage = useCan('manage');
  const isOwner = useCan('owner');
  return (
    <>
      <PageHeader title="Team" description={canManage ? 'Who is in this tenant, how they sign in, and your own account.' : 'Your own sessions and sign-in.'} />
      <div className="stack">
        {canManage && <MembersPanel />}
        {canManage && <InvitationsPanel />}
        {isOwner && <SsoPanel />}
        <SessionsPanel />
        <TwoStepPanel />
      </div>
    </>
  );
}
