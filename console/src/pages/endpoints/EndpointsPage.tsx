import { NotBuilt } from '../NotBuilt.tsx';
import type { PageProps } from '../pageProps.ts';

export default function EndpointsPage(_props: PageProps) {
  return (
    <NotBuilt title="Endpoints">
      <p>
        Endpoints across applications, filtered by state and host, with statistics, secret rotation, headers, throttle and filters will be here. Until then, use the API
        or the portal.
      </p>
    </NotBuilt>
  );
}
