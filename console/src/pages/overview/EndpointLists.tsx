import { EmptyState, formatTime, Panel } from '@hookline/ui';
import { Link } from '../../routing/router.tsx';
import type { Overview } from './overviewData.ts';

type Failing = Overview['failingEndpoints'];
type AutoDisabled = Overview['autoDisabledEndpoints'];

function AppLink({ appId, appName }: { appId: string; appName: string }) {
  return <Link to={`/applications/${encodeURIComponent(appId)}`}>{appName}</Link>;
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
        <div className="table-wrap">
          <table className="table" aria-label="Endpoints failing now">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Application</th>
                <th scope="col">Failing since</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => (
                <tr key={e.id}>
                  <td className="break">
                    <Link to={`/endpoints/${encodeURIComponent(e.appId)}/${encodeURIComponent(e.id)}`}>{e.url}</Link>
                  </td>
                  <td>
                    <AppLink appId={e.appId} appName={e.appName} />
                  </td>
                  <td>{formatTime(e.failingSince)}</td>
                  <td className="break">{lastError(e.lastAttempt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
        <div className="table-wrap">
          <table className="table" aria-label="Endpoints disabled by Hookline">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Application</th>
                <th scope="col">Disabled</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => (
                <tr key={e.id}>
                  <td className="break">
                    <Link to={`/endpoints/${encodeURIComponent(e.appId)}/${encodeURIComponent(e.id)}`}>{e.url}</Link>
                  </td>
                  <td>
                    <AppLink appId={e.appId} appName={e.appName} />
                  </td>
                  <td>{formatTime(e.disabledAt)}</td>
                  <td>{e.reason ? REASON[e.reason] : 'Unknown'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <More shown={list.data.length} total={list.total} />
    </Panel>
  );
}
