import { DataTable, EmptyState, formatTime, Panel, type Column } from '@hookline/ui';
import { Link } from '../../routing/router.tsx';
import type { Overview } from './overviewData.ts';

type Failing = Overview['failingEndpoints'];
type AutoDisabled = Overview['autoDisabledEndpoints'];

function AppLink({ appId, appName }: { appId: string; appName: string }) {
  return <Link to={`/applications/${encodeURIComponent(appId)}`}>{appName}</Link>;
}

/** The endpoint (to its page) and its application: the first columns of both lists. */
function endpointColumns<T extends { id: string; url: string; appId: string; appName: string }>(): Column<T>[] {
  return [
    {
      header: 'Endpoint',
      className: 'break',
      cell: (e) => <Link to={`/endpoints/${encodeURIComponent(e.appId)}/${encodeURIComponent(e.id)}`}>{e.url}</Link>,
    },
    { header: 'Application', cell: (e) => <AppLink appId={e.appId} appName={e.appName} /> },
  ];
}

/** "Shows 20 of 35": the API lists at most 20 of each. */
function More({ shown, total }: { shown: number; total: number }) {
  return total > shown ? <p className="muted small">{`Showing ${shown} of ${total}.`}</p> : null;
}

/** The last error as a person reads it: the status (or "no response") and the start of the body. */
function lastError(attempt: Failing['data'][number]['lastAttempt']): string {
  if (!attempt) return 'No attempt recorded';
  const status = attempt.responseStatusCode === 0 ? 'No response' : `HTTP ${attempt.responseStatusCode}`;
  return attempt.response ? `${status}: ${attempt.response}` : status;
}

export function FailingEndpoints({ list }: { list: Failing }) {
  return (
    <Panel title={`Failing now (${list.total})`}>
      {list.data.length === 0 ? (
        <EmptyState title="No endpoint is failing">
          <p>Every enabled endpoint answered its last attempt.</p>
        </EmptyState>
      ) : (
        <DataTable
          caption="Endpoints failing now"
          rows={list.data}
          rowKey={(e) => e.id}
          columns={[
            ...endpointColumns<Failing['data'][number]>(),
            { header: 'Failing since', cell: (e) => formatTime(e.failingSince) },
            { header: 'Last error', className: 'break', cell: (e) => lastError(e.lastAttempt) },
          ]}
        />
      )}
      <More shown={list.data.length} total={list.total} />
    </Panel>
  );
}

const REASON = { gone: 'The receiver answered 410 Gone', failing: 'Failed for too long' } as const;

export function AutoDisabledEndpoints({ list }: { list: AutoDisabled }) {
  return (
    <Panel title={`Disabled by Hookline (${list.total})`}>
      {list.data.length === 0 ? (
        <EmptyState title="No endpoint was disabled">
          <p>Hookline disables an endpoint that answers 410 or fails for too long; none is disabled now.</p>
        </EmptyState>
      ) : (
        <DataTable
          caption="Endpoints disabled by Hookline"
          rows={list.data}
          rowKey={(e) => e.id}
          columns={[
            ...endpointColumns<AutoDisabled['data'][number]>(),
            { header: 'Disabled', cell: (e) => formatTime(e.disabledAt) },
            { header: 'Why', cell: (e) => (e.reason ? REASON[e.reason] : 'Unknown') },
          ]}
        />
      )}
      <More shown={list.data.length} total={list.total} />
    </Panel>
  );
}
