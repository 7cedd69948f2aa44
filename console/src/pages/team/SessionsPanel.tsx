import { DataTable, ErrorState, formatTime, Loading, Panel } from '@hookline/ui';
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
        <DataTable
          caption="Your sessions"
          rows={sessions.data.data}
          rowKey={(s) => s.id}
          columns={[
            {
              header: 'Browser',
              className: 'break',
              cell: (s) => (
                <>
                  {s.userAgent ?? 'Unknown'}
                  {s.current ? <strong> (this one)</strong> : null}
                </>
              ),
            },
            { header: 'Address', cell: (s) => s.clientAddress ?? '—' },
            { header: 'Signed in', className: 'nowrap', cell: (s) => formatTime(s.createdAt) },
            { header: 'Last seen', className: 'nowrap', cell: (s) => formatTime(s.lastSeenAt) },
            {
              header: 'Actions',
              headerHidden: true,
              cell: (s) =>
                !s.current && (
                  <button
                    type="button"
                    className="btn small"
                    disabled={end.isPending}
                    onClick={() => end.mutate(s.id)}
                    aria-label={`End session from ${formatTime(s.createdAt)}`}
                  >
                    End
                  </button>
                ),
            },
          ]}
        />
      )}
    </Panel>
  );
}
