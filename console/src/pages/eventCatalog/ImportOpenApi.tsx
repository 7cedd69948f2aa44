import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorState, Panel, type Schemas } from '@hookline/ui';
import { useConsoleApi } from '../../api/apiContext.tsx';
import { Link } from '../../routing/router.tsx';
import { PageHeader } from '../../shell/PageHeader.tsx';
import { eventTypeHref } from './eventTypeHref.ts';
import { useEventTypeList } from './useEventTypes.ts';

type ImportIn = Schemas['EventTypeImportOpenApiIn'];
type Planned = Schemas['EventTypeFromOpenApi'];

/** The import route, dry run or not; the document is sent as text, which the server reads as YAML or JSON. */
function useImport() {
  const client = useConsoleApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: ImportIn) => client.request('post', '/api/v1/event-type/import/openapi', { body }),
    onSuccess: (_out, body) => (body.dryRun ? undefined : queries.invalidateQueries({ queryKey: ['event-types'] })),
  });
}

/**
 * `/event-catalog/import`: paste or upload an OpenAPI document, preview what its webhooks would
 * create or change (a dry run), then import them.
 */
export function ImportOpenApi() {
  const id = useId();
  const [text, setText] = useState('');
  const [replaceAll, setReplaceAll] = useState(false);
  const [preview, setPreview] = useState<{ text: string; replaceAll: boolean; planned: Planned[] } | null>(null);
  const [imported, setImported] = useState<string[] | null>(null);
  const dryRun = useImport();
  const run = useImport();
  // Archived ones too: importing one of those revives it.
  const existing = useEventTypeList(true);
  const known = new Map((existing.data?.pages.flatMap((p) => p.data) ?? []).map((t) => [t.name, t]));
  const fresh = preview !== null && preview.text === text && preview.replaceAll === replaceAll;
  const kindOf = (name: string) => {
    const t = known.get(name);
    return !t ? 'New' : t.archived ? 'Revived' : 'Changed';
  };

  return (
    <>
      <PageHeader title="Import from OpenAPI" description="Create or update event types from the webhooks (or x-webhooks) of an OpenAPI 3 document." />
      <Panel title="Document">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setImported(null);
            dryRun.mutate({ specRaw: text, dryRun: true, replaceAll }, { onSuccess: (out) => setPreview({ text, replaceAll, planned: out.data.to_modify ?? [] }) });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-doc`}>OpenAPI document (JSON or YAML)</label>
            <textarea id={`${id}-doc`} rows={14} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-file`}>Or upload a file</label>
            <input
              id={`${id}-file`}
              type="file"
              accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void file.text().then(setText);
              }}
            />
          </div>
          <label className="check">
            <input type="checkbox" checked={replaceAll} onChange={(e) => setReplaceAll(e.target.checked)} />
            Archive the event types the document does not have
          </label>
          <div className="actions">
            <button type="submit" className="btn" disabled={text.trim() === '' || dryRun.isPending}>
              {dryRun.isPending ? 'Checking…' : 'Preview changes'}
            </button>
          </div>
        </form>
        {dryRun.isError && <ErrorState error={dryRun.error} title="Could not read this document." />}
      </Panel>
      {fresh && imported === null && (
        <Panel title="Preview">
          {preview.planned.length === 0 ? (
            <p role="status">Nothing to create or change: the catalog already has these event types as the document describes them.</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Event types to import</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Change</th>
                    <th scope="col">Description</th>
                    <th scope="col">Schema</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.planned.map((p) => (
                    <tr key={p.name}>
                      <td>
                        <code>{p.name}</code>
                      </td>
                      <td>{kindOf(p.name)}</td>
                      <td>{p.description || <span className="muted">No description</span>}</td>
                      <td>{p.schemas ? 'Yes' : <span className="muted">None</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {preview.replaceAll && <p className="hint">Live event types the document does not have will be archived.</p>}
          <div className="actions">
            <button
              type="button"
              className="btn primary"
              disabled={run.isPending || (preview.planned.length === 0 && !preview.replaceAll)}
              onClick={() => run.mutate({ specRaw: preview.text, replaceAll: preview.replaceAll }, { onSuccess: (out) => setImported(out.data.modified) })}
            >
              {run.isPending ? 'Importing…' : 'Import'}
            </button>
          </div>
          {run.isError && <ErrorState error={run.error} title="Could not import." />}
        </Panel>
      )}
      {imported !== null && (
        <div role="status" className="success-text">
          <p>
            Imported: {imported.length} {imported.length === 1 ? 'event type' : 'event types'} created, changed or archived.
          </p>
          <ul aria-label="Imported event types">
            {imported.map((name) => (
              <li key={name}>
                <Link to={eventTypeHref(name)}>
                  <code>{name}</code>
                </Link>
              </li>
            ))}
          </ul>
          <Link to="/event-catalog">Back to the catalog</Link>
        </div>
      )}
    </>
  );
}
