import { NotBuilt } from '../NotBuilt.tsx';
import type { PageProps } from '../pageProps.ts';

export default function SettingsPage(_props: PageProps) {
  return (
    <NotBuilt title="Settings">
      <p>The retry schedule, retention, operational webhooks and the portal's defaults will be here. Until then, use the API (/console/v1/settings).</p>
    </NotBuilt>
  );
}
