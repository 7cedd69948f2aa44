import { useState } from 'react';
import { ApiError, ConfirmDialog, DataTable, EmptyState, ErrorState, formatTime, Loading, Panel } from '@hookline/ui';
import { Field } from '../../components/Field.tsx';
import { useCreateOperationalEndpoint, useDeleteOperationalEndpoint, useOperationalEndpoints, type OperationalEndpoint } from './operationalQueries.ts';

/** Where Hookline sends this tenant's own delivery-health events: list, add, delete. */
export function OperationalEndpointsPanel() {
  const endpoints = useOperationalEndpoints();
  const create = useCreateOperationalEndpoint();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [deleting, setDeleting] = useState<OperationalEndpoint | null>(null);
  const fields = create.error instanceof ApiError ? create.error.fieldErrors() : {};
  const otherError = create.error && Object.keys(fields).length === 0 ? create.error : null;
  return (
    <Panel title="Operational webhooks">
      <p className="muted">
        Hookline posts events about this tenant’s deliveries here (endpoint created, disabled; attempts failing, exhausted, recovered), signed like any webhook.
      </p>
      <form
        className="inline-form"
        aria-label="Add an operational webhook endpoint"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { url: url.trim(), ...(description.trim() ? { description: description.trim() } : {}) },
            {
              onSuccess: () => {
                setUrl('');
                setDescription('');
              },
            },
          );
        }}
      >
        <Field
          label="Endpoint URL"
          type="url"
          name="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={fields.url}
          required
          placeholder="https://ops.example.com/hookline"
        />
        <Field label="Description" name="description" value={description} onChange={(e) => setDescription(e.target.value)} error={fields.description} />
        <button type="submit" className="btn primary" disabled={create.isPending}>
          Add endpoint
        </button>
      </form>
      {otherError ? <ErrorState error={otherError} title="Could not add the endpoint." /> : null}
      {endpoints.isPending ? (
        <Loading what="operational webhook endpoints" />
      ) : endpoints.isError ? (
        <ErrorState error={endpoints.error} retry={() => void endpoints.refetch()} />
      ) : endpoints.data.data.length === 0 ? (
        <EmptyState title="No operational webhook endpoints" />
      ) : (
        <DataTable
          caption="Operational webhook endpoints"
          rows={endpoints.data.data}
          rowKey={(ep) => ep.id}
          columns={[
            { header: 'URL', className: 'break', cell: (ep) => ep.url },
            { header: 'Description', cell: (ep) => ep.description || '—' },
            { header: 'Events', cell: (ep) => ep.eventTypes?.join(', ') ?? 'All' },
            { header: 'Created', className: 'nowrap', cell: (ep) => formatTime(ep.createdAt) },
            {
              header: 'Actions',
              headerHidden: true,
              cell: (ep) => (
                <button type="button" className="btn small danger" onClick={() => setDeleting(ep)} aria-label={`Delete ${ep.url}`}>
                  Delete
                </button>
              ),
            },
          ]}
        />
      )}
      {deleting && <DeleteDialog endpoint={deleting} onClose={() => setDeleting(null)} />}
    </Panel>
  );
}

function DeleteDialog({ endpoint, onClose }: { endpoint: OperationalEndpoint; onClose: () => void }) {
  const remove = useDeleteOperationalEndpoint();
  return (
    <ConfirmDialog
      title="Delete this endpoint?"
      confirmLabel="Delete endpoint"
      danger
      busy={remove.isPending}
      error={remove.error}
      onClose={onClose}
      onConfirm={() => remove.mutate(endpoint.id, { onSuccess: onClose })}
    >
      <p>
        <span className="break">{endpoint.url}</span> stops receiving operational events.
      </p>
    </ConfirmDialog>
  );
}
