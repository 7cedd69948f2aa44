import { useQuery } from '@tanstack/react-query';
import { ErrorState, Loading } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';
import { PageHeader } from '../../shell/PageHeader.tsx';
import type { PageProps } from '../pageProps.ts';
import { OperationalEndpointsPanel } from './OperationalEndpointsPanel.tsx';
import { SETTINGS_KEY, SettingsForm } from './SettingsForm.tsx';

/** The tenant's retry schedule, retention, portal defaults and operational webhooks. The registry limits it to `manage`. */
export default function SettingsPage(_props: PageProps) {
  const client = useConsoleApi();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => client.request('get', '/console/v1/settings') });
  return (
    <>
      <PageHeader title="Settings" description="How this tenant's messages are retried and kept, and how its portal looks." />
      <div className="stack">
        {settings.isPending ? (
          <Loading what="settings" />
        ) : settings.isError ? (
          <ErrorState error={settings.error} retry={() => void settings.refetch()} />
        ) : (
          <SettingsForm settings={settings.data} />
        )}
        <OperationalEndpointsPanel />
      </div>
    </>
  );
}
