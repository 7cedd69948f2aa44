import { useState } from 'react';
import { EmptyState, ErrorState, Loading } from '@hookline/ui';
import { Link } from '../../routing/router.tsx';
import { percent, rateTone } from '../overview/overviewData.ts';
import { HealthBadge } from './HealthBadge.tsx';
import { useApplicationList, type ApplicationListItem } from './useApplications.ts';

/**
 * One search's pages, walked with Svix's iterators. The iterators of the pages before are kept,
 * so "Previous" goes back to exactly the page seen; a new search remounts this (key) and starts over.
 */
export function ApplicationList({ search }: { search: string }) {
  const [iterators, setIterators] = useState<string[]>([]);
  const iterator = iterators.at(-1);
  const list = useApplicationList(search, iterator);
  if (list.isError && !list.data) return <ErrorState error={list.error} retry={() => void list.refetch()} title="Could not load the applications." />;
  if (!list.data) return <Loading what="applications" />;
  const page = list.data;
  const pageNumber = iterators.length + 1;
  if (page.data.length === 0 && pageNumber === 1) {
    return search ? (
      <EmptyState title="No application matches">
        <p>{`No application's name or UID contains “${search}”.`}</p>
      </EmptyState>
    ) : (
      <EmptyState title="No applications yet">
        <p>An application is one of your customers: it holds their endpoints and the messages sent to them.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <div className="table-wrap" aria-busy={list.isPlaceholderData}>
        <table className="table" aria-label="Applications">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">UID</th>
              <th scope="col">Endpoints</th>
              <th scope="col">Last 24 hours</th>
              <th scope="col">Health</th>
            </tr>
          </thead>
          <tbody>
            {page.data.map((app) => (
              <ApplicationRow key={app.id} app={app} />
            ))}
          </tbody>
        </table>
      </div>
      {(pageNumber > 1 || !page.done) && (
        <nav className="actions pager" aria-label="Pages of applications">
          <button type="button" className="btn small" disabled={pageNumber === 1} onClick={() => setIterators((its) => its.slice(0, -1))}>
            Previous
          </button>
          <span className="muted small" aria-live="polite">{`Page ${pageNumber}`}</span>
          <button
            type="button"
            className="btn small"
            disabled={page.done || !page.iterator}
            onClick={() => page.iterator && setIterators((its) => [...its, page.iterator!])}
          >
            Next
          </button>
        </nav>
      )}
    </>
  );
}

function ApplicationRow({ app }: { app: ApplicationListItem }) {
  const stats = app.stats;
  const tone = rateTone(stats?.last24h.successRate ?? null);
  return (
    <tr>
      <td className="break">
        <Link to={`/applications/${encodeURIComponent(app.id)}`}>{app.name}</Link>
      </td>
      <td className="break">{app.uid ? <code>{app.uid}</code> : <span className="muted">none</span>}</td>
      <td>{stats ? `${stats.endpoints} endpoint${stats.endpoints === 1 ? '' : 's'}` : '–'}</td>
      <td>
        {stats && stats.last24h.successRate !== null ? (
          <span className={tone ? `rate ${tone}` : 'rate'}>{`${percent(stats.last24h.successRate)} succeeded`}</span>
        ) : (
          <span className="muted">No attempts</span>
        )}
      </td>
      <td>{stats ? <HealthBadge health={stats.health} /> : null}</td>
    </tr>
  );
}
