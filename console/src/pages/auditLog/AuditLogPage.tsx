import { useState } from 'react';
import { ApiError, buildQueryString, DataTable, EmptyState, ErrorState, formatTime, Loading } from '@hookline/ui';
import { PageHeader } from '../../shell/PageHeader.tsx';
import type { PageProps } from '../pageProps.ts';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditRecordDialog } from './AuditRecordDialog.tsx';
import { useAuditLog, type AuditFilter, type AuditRecord } from './useAuditLog.ts';

/** /console/audit-log: who changed what (and who read a secret), filterable, each record in full, exportable (the shell lets only `manage` in). */
export default function AuditLogPage(_props: PageProps) {
  const [filter, setFilter] = useState<AuditFilter>({});
  const [open, setOpen] = useState<AuditRecord | null>(null);
  const result = useAuditLog(filter);
  const records = result.data?.pages.flatMap((p) => p.data) ?? [];
  const fieldErrors = result.error instanceof ApiError ? result.error.fieldErrors() : {};
  const filtered = Object.keys(filter).length > 0;
  // A plain link: the browser streams the NDJSON download with the session cookie (a GET needs no CSRF header).
  const exportLink = (
    <a className="btn" href={`/api/v1/audit-log/export${buildQueryString({ ...filter })}`} download="audit-log.ndjson">
      Export {filtered ? 'filtered records' : 'all records'} (NDJSON)
    </a>
  );
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, and who read a secret, newest first. Records cannot be edited or deleted." actions={exportLink} />
      <AuditFilters onApply={setFilter} fieldErrors={fieldErrors} />
      {result.isPending ? (
        <Loading what="the audit log" />
      ) : result.isError ? (
        Object.keys(fieldErrors).length ? null : (
          <ErrorState error={result.error} retry={() => void result.refetch()} />
        )
      ) : records.length === 0 ? (
        <EmptyState title={filtered ? 'No record matches these filters' : 'No records yet'} />
      ) : (
        <>
          <DataTable
            caption="Audit records, newest first"
            rows={records}
            rowKey={(r) => r.id}
            columns={[
              { header: 'Time', className: 'nowrap', cell: (r) => formatTime(r.at) },
              {
                header: 'Actor',
                cell: (r) => (
                  <>
                    {r.actor.displayName} <span className="muted small">({r.actor.kind})</span>
                  </>
                ),
              },
              { header: 'Action', cell: (r) => <code>{r.action}</code> },
              {
                header: 'Target',
                className: 'break',
                cell: (r) => (
                  <>
                    <span className="muted small">{r.target.kind}</span> <code>{r.target.id}</code>
                  </>
                ),
              },
              {
                header: 'Details',
                headerHidden: true,
                cell: (r) => (
                  <button type="button" className="btn small" onClick={() => setOpen(r)}>
                    Details{' '}
                    <span className="sr-only">
                      of {r.action} at {formatTime(r.at)}
                    </span>
                  </button>
                ),
              },
            ]}
          />
          {result.hasNextPage && (
            <div className="pager">
              <button type="button" className="btn" disabled={result.isFetchingNextPage} onClick={() => void result.fetchNextPage()}>
                {result.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </>
      )}
      {open && <AuditRecordDialog record={open} onClose={() => setOpen(null)} />}
    </>
  );
}
