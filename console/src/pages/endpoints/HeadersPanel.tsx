import { useId, useState } from 'react';
import { ApiError, EmptyState, ErrorState, Loading, Panel } from '@hookline/ui';
import { useCan } from '../../api/me.ts';
import { useEndpointHeaders, usePatchHeaders } from './useEndpoints.ts';

/** Custom headers sent with each attempt: reading values needs `secret` (audited), changing them `write`. */
export function HeadersPanel({ app, endpoint }: { app: string; endpoint: string }) {
  const canRead = useCan('secret');
  const canWrite = useCan('write');
  const headers = useEndpointHeaders(app, endpoint, canRead);
  const patch = usePatchHeaders(app, endpoint);
  if (!canRead) {
    return (
      <Panel title="Headers">
        <p className="muted small">Your role does not include reading header values.</p>
      </Panel>
    );
  }
  const entries = headers.data ? Object.entries(headers.data.headers) : [];
  return (
    <Panel title="Headers">
      {headers.isPending ? (
        <Loading what="headers" />
      ) : headers.isError ? (
        <ErrorState error={headers.error} retry={() => void headers.refetch()} />
      ) : (
        <>
          {entries.length === 0 && headers.data.sensitive.length === 0 ? (
            <EmptyState title="No custom headers" />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Custom headers</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Value</th>
                    {canWrite && (
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {entries.map(([name, value]) => (
                    <tr key={name}>
                      <td>
                        <code>{name}</code>
                      </td>
                      <td className="break">
                        <code>{value}</code>
                      </td>
                      {canWrite && (
                        <td>
                          <button type="button" className="btn small" disabled={patch.isPending} onClick={() => patch.mutate({ headers: {}, deleteHeaders: [name] })}>
                            Remove <span className="sr-only">{name}</span>
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                  {headers.data.sensitive.map((name) => (
                    <tr key={name}>
                      <td>
                        <code>{name}</code>
                      </td>
                      <td className="muted">hidden (a credential)</td>
                      {canWrite && (
                        <td>
                          <button type="button" className="btn small" disabled={patch.isPending} onClick={() => patch.mutate({ headers: {}, deleteHeaders: [name] })}>
                            Remove <span className="sr-only">{name}</span>
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {canWrite && <AddHeader app={app} endpoint={endpoint} />}
          {patch.isError && <ErrorState error={patch.error} title="Could not remove the header." />}
        </>
      )}
    </Panel>
  );
}

function AddHeader({ app, endpoint }: { app: string; endpoint: string }) {
  const id = useId();
  const patch = usePatchHeaders(app, endpoint);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  // A 422 names the header itself (`headers.X-Name`): show it on the name field.
  const error = patch.error instanceof ApiError ? (patch.error.fieldErrors().headers ?? patch.error.fieldErrors().deleteHeaders) : undefined;
  return (
    <form
      className="inline-form"
      aria-label="Add or change a header"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return;
        patch.mutate(
          { headers: { [name.trim()]: value } },
          {
            onSuccess: () => {
              setName('');
              setValue('');
            },
          },
        );
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>Header name</label>
        <input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {error && (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-value`}>Value</label>
        <input id={`${id}-value`} value={value} onChange={(e) => setValue(e.target.value)} />
      </div>
      <button type="submit" className="btn" disabled={patch.isPending || !name.trim()}>
        Set header
      </button>
      {patch.isError && !error && <ErrorState error={patch.error} title="Could not set the header." />}
    </form>
  );
}
