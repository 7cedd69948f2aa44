import { NotBuilt } from '../NotBuilt.tsx';
import type { PageProps } from '../pageProps.ts';

export default function OverviewPage(_props: PageProps) {
  return (
    <NotBuilt title="Overview">
      <p>
        Deliveries per minute, success rate, latency, backlog and the endpoints failing right now will show here. Until then, the statistics API (/api/v1/stats/series)
        has them.
      </p>
    </NotBuilt>
  );
}
