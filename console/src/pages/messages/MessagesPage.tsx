import { NotBuilt } from '../NotBuilt.tsx';
import type { PageProps } from '../pageProps.ts';

export default function MessagesPage(_props: PageProps) {
  return (
    <NotBuilt title="Messages">
      <p>
        Finding messages across applications (by id, event type, channel, tag, status, time or payload content), their attempts, resend and replay will be here. Until
        then, use the API ({'/api/v1/app/{app}/msg'}).
      </p>
    </NotBuilt>
  );
}
