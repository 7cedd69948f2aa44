import { useState } from 'react';
import { ApiError, buildQueryString, EmptyState, ErrorState, formatTime, Loading } from '@hookline/ui';
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
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Audit records, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">
                    <span className="sr-only">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {records.map((r) => (
                  <tr key={r.id}>
                    <td className="nowrap">{formatTime(r.at)}</td>
                    <td>
                      {r.actor.displayName} <span className="muted small">({r.actor.kind})</span>
                    </td>
                    <td>
                      <code>{r.action}</code>
                    </td>
                    <td className="break">
                      <span className="muted small">{r.target.kind}</span> <code>{r.target.id}</code>
                    </td>
                    <td>
                      <button type="button" className="btn small" onClick={() => setOpen(r)}>
                        Details{' '}
                        <span className="sr-only">
                          of {r.action} at {formatTime(r.at)}
                        </span>
                      </button>
                    </td>
                  </tr>
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
      {open && <AuditRecordDialog record={open} onClose={() => setOpen(null)} />}
    </>
  );
}
