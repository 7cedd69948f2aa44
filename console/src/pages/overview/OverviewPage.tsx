import { BarChart, ErrorState, Loading, Panel } from '@hookline/ui';
import { PageHeader } from '../../shell/PageHeader.tsx';
import { navigate, takeFocusRequest, useSearchParams } from '../../routing/router.tsx';
import type { PageProps } from '../pageProps.ts';
import { AutoDisabledEndpoints, FailingEndpoints } from './EndpointLists.tsx';
import { OverviewFigures } from './OverviewFigures.tsx';
import { barUnit, chartBars, WINDOWS, type OverviewWindow } from './overviewData.ts';
import { OVERVIEW_REFRESH_MS, useOverview } from './useOverview.ts';

const isWindow = (v: string | null): v is OverviewWindow => WINDOWS.some((w) => w.value === v);

/** The tenant at a glance: deliveries over a window, success rate, latency, backlog and the endpoints that need attention. */
export default function OverviewPage(_props: PageProps) {
  const params = useSearchParams();
  const asked = params.get('window');
  // The window lives in the address, so a reload or a shared link shows the same one.
  const current: OverviewWindow = isWindow(asked) ? asked : 'day';
  const overview = useOverview(current);
  const data = overview.data;
  const label = WINDOWS.find((w) => w.value === current)!.label;

  return (
    <>
      <PageHeader title="Overview" description={`Deliveries of every application, refreshed every ${OVERVIEW_REFRESH_MS / 1000} seconds.`} />
      <div className="tabs" role="group" aria-label="Time window">
        {WINDOWS.map((w) => (
          <button
            key={w.value}
            type="button"
            className={w.value === current ? 'tab active' : 'tab'}
            aria-pressed={w.value === current}
            onClick={() => {
              navigate(w.value === 'day' ? '/' : `/?window=${w.value}`, { replace: true });
              // The page stays: focus stays on the button rather than moving to the heading.
              takeFocusRequest();
            }}
          >
            {w.label}
          </button>
        ))}
      </div>
      {overview.isError && !data ? (
        <ErrorState error={overview.error} retry={() => void overview.refetch()} title="Could not load the overview." />
      ) : !data ? (
        <Loading what="the overview" />
      ) : (
        <div className="stack" aria-busy={overview.isPlaceholderData}>
          {overview.isError && <ErrorState error={overview.error} retry={() => void overview.refetch()} title="Could not refresh the overview." />}
          <OverviewFigures overview={data} />
          <Panel title={`Attempts per ${barUnit(data.window)}`}>
            <BarChart title={`Attempts per ${barUnit(data.window)}, ${label.toLowerCase()}`} data={chartBars(data)} />
          </Panel>
          <FailingEndpoints list={data.failingEndpoints} />
          <AutoDisabledEndpoints list={data.autoDisabledEndpoints} />
        </div>
      )}
    </>
  );
}
