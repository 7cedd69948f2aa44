import { NotBuilt } from '../NotBuilt.tsx';
import type { PageProps } from '../pageProps.ts';

export default function TeamPage(_props: PageProps) {
  return (
    <NotBuilt title="Team">
      <p>
        Members and roles, invitations, single sign-on settings and your own sessions will be here. Until then, use the API (/console/v1/members,
        /console/v1/me/sessions).
      </p>
    </NotBuilt>
  );
}
