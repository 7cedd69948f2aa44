import { ErrorState, formatTime, Loading, Panel } from '@hookline/ui';
import { useEndSession, useMySessions } from './teamQueries.ts';

/** The signed-in person's own live sessions; ending one signs that browser out (this one: you). */
export function SessionsPanel() {
  const sessions = useMySessions();
  const end = useEndSession();
  return (
    <Panel title="Your sessions">
      {end.error ? <ErrorState error={end.error} title="Could not end the session." /> : null}
      {sessions.isPending ? (
        <Loading what="your sessions" />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} retry={() => void sessions.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Your sessions</caption>
            <thead>
              <tr>
                <th scope="col">Browser</th>
                <th scope="col">Address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.data.map((s) => (
                <tr key={s.id}>
                  <td className="break">
                    {s.userAgent ?? 'Unknown'}
                    {s.current ? <strong> (this one)</strong> : null}
                  </td>
                  <td>{s.clientAddress ?? '—'}</td>
                  <td className="nowrap">{formatTime(s.createdAt)}</td>
                  <td className="nowrap">{formatTime(s.lastSeenAt)}</td>
                  <td>
                    {!s.current && (
                      <button
                        type="button"
                        className="btn small"
                        disabled={end.isPending}
                        onClick={() => end.mutate(s.id)}
                        aria-label={`End session from ${formatTime(s.createdAt)}`}
                      >
                        End
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
