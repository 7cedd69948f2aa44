import { useId, useState } from 'react';
import { ApiError, EmptyState, ErrorState, formatTime, Loading, StatusBadge } from '@hookline/ui';
import { Link, navigate, useSearchParams } from '../../routing/router.tsx';
import { useEndpointSearch, type EndpointFilter, type EndpointRow, type EndpointState } from './useEndpoints.ts';

const STATES: { value: '' | EndpointState; label: string }[] = [
  { value: '', label: 'Any state' },
  { value: 'failing', label: 'Failing' },
  { value: 'disabled', label: 'Disabled' },
  { value: 'enabled', label: 'Enabled' },
];

/** The filter as the address holds it (?state=failing&host=example.com), so a filtered list can be shared. */
function filterOf(params: URLSearchParams): EndpointFilter {
  const state = params.get('state');
  const host = params.get('host')?.trim();
  return {
    ...(state === 'failing' || state === 'disabled' || state === 'enabled' ? { state } : {}),
    ...(host ? { host } : {}),
  };
}

function addressOf(filter: EndpointFilter): string {
  const q = new URLSearchParams();
  if (filter.state) q.set('state', filter.state);
  if (filter.host) q.set('host', filter.host);
  const s = q.toString();
  return s ? `/endpoints?${s}` : '/endpoints';
}

export function EndpointList() {
  const filter = filterOf(useSearchParams());
  const result = useEndpointSearch(filter);
  const rows = result.data?.pages.flatMap((p) => p.data) ?? [];
  const hostError = result.error instanceof ApiError ? result.error.fieldErrors().host : undefined;
  return (
    <>
      <Filters key={`${filter.state ?? ''}|${filter.host ?? ''}`} filter={filter} hostError={hostError} />
      {result.isPending ? (
        <Loading what="endpoints" />
      ) : result.isError ? (
        hostError ? null : (
          <ErrorState error={result.error} retry={() => void result.refetch()} />
        )
      ) : rows.length === 0 ? (
        <EmptyState title={filter.state || filter.host ? 'No endpoint matches these filters' : 'No endpoints yet'}>
          <p className="muted">
            {filter.state || filter.host ? 'Change or clear the filters.' : 'Endpoints are added to an application, through the API or the portal.'}
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Endpoints across applications</caption>
              <thead>
                <tr>
                  <th scope="col">URL</th>
                  <th scope="col">Application</th>
                  <th scope="col">State</th>
                  <th scope="col">Last attempt</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((ep) => (
                  <Row key={ep.id} ep={ep} />
                ))}
              </tbody>
            </table>
          </div>
          {result.hasNextPage && (
            <div className="pager">
              <button type="button" className="btn" disabled={result.isFetchingNextPage} onClick={() => void result.fetchNextPage()}>
                {result.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}

function Filters({ filter, hostError }: { filter: EndpointFilter; hostError: string | undefined }) {
  const id = useId();
  const [host, setHost] = useState(filter.host ?? '');
  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter endpoints"
      onSubmit={(e) => {
        e.preventDefault();
        navigate(addressOf({ ...filter, host: host.trim() || undefined }), { replace: true });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-state`}>State</label>
        <select
          id={`${id}-state`}
          value={filter.state ?? ''}
          onChange={(e) =>
            navigate(addressOf({ ...filter, host: host.trim() || undefined, state: (e.target.value || undefined) as EndpointState | undefined }), { replace: true })
          }
        >
          {STATES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-host`}>URL host</label>
        <input
          id={`${id}-host`}
          value={host}
          placeholder="api.example.com"
          onChange={(e) => setHost(e.target.value)}
          aria-invalid={hostError ? true : undefined}
          aria-describedby={hostError ? `${id}-host-error` : undefined}
        />
        {hostError && (
          <p id={`${id}-host-error`} className="field-error">
            {hostError}
          </p>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="btn">
          Filter
        </button>
        {(filter.state || filter.host) && (
          <button type="button" className="btn ghost" onClick={() => navigate('/endpoints', { replace: true })}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}

function Row({ ep }: { ep: EndpointRow }) {
  const last = ep.lastAttempt;
  return (
    <tr>
      <td className="break">
        <Link to={`/endpoints/${encodeURIComponent(ep.application.id)}/${encodeURIComponent(ep.id)}`}>{ep.url}</Link>
        {ep.description && <div className="muted small">{ep.description}</div>}
      </td>
      <td>{ep.application.name}</td>
      <td>
        {ep.disabled ? (
          <StatusBadge status="disabled" />
        ) : ep.failingSince ? (
          <span className="badge badge-fail" title={`Every attempt failed since ${formatTime(ep.failingSince)}`}>
            Failing
          </span>
        ) : (
          <StatusBadge status="enabled" />
        )}
      </td>
      <td>
        {last ? (
          <>
            <StatusBadge status={last.status === 0 ? 'success' : 'fail'} />{' '}
            <span className="muted small nowrap">
              {last.responseStatusCode || 'no response'} · {formatTime(last.timestamp)}
            </span>
          </>
        ) : (
          <span className="muted">None yet</span>
        )}
      </td>
    </tr>
  );
}
