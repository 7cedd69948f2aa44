import { PageHeader } from '../../shell/PageHeader.tsx';
import type { PageProps } from '../pageProps.ts';
import { EndpointDetail } from './EndpointDetail.tsx';
import { EndpointList } from './EndpointList.tsx';

/** /console/endpoints: every application's endpoints; /console/endpoints/<app>/<endpoint>: one of them. */
export default function EndpointsPage({ params }: PageProps) {
  const [app, endpoint] = params;
  if (app && endpoint) return <EndpointDetail key={`${app}/${endpoint}`} app={app} endpoint={endpoint} />;
  return (
    <>
      <PageHeader title="Endpoints" description="Every application's endpoints: find the failing and disabled ones, or those of one host." />
      <EndpointList />
    </>
  );
}
