import { useEventTypes, type EventType } from '../api/useEventTypes.ts';
import { EmptyState, ErrorState, JsonBlock, Loading } from '@hookline/ui';

/** The example payloads of a schema (JSON Schema `examples`), if any. */
function examplesOf(schema: unknown): unknown[] {
  const s = schema as { examples?: unknown[]; example?: unknown } | null;
  if (Array.isArray(s?.examples)) return s.examples;
  return s?.example !== undefined ? [s.example] : [];
}

function EventTypeCard({ type }: { type: EventType }) {
  const schemas = Object.entries(type.schemas ?? {});
  return (
    <article className="card event-type" aria-labelledby={`et-${type.name}`}>
      <h2 id={`et-${type.name}`}>
        <code>{type.name}</code>
        {type.deprecated && <span className="badge badge-neutral">Deprecated</span>}
      </h2>
      <p>{type.description || <span className="muted">No description.</span>}</p>
      {schemas.length === 0 && <p className="muted small">No schema published for this event type.</p>}
      {schemas.map(([version, schema]) => {
        const examples = examplesOf(schema);
        return (
          <div key={version} className="schema-block">
            {examples.length > 0 && (
              <details open>
                <summary>Example payload</summary>
                <JsonBlock value={examples[0]} label={`Example payload of ${type.name}`} />
              </details>
            )}
            <details>
              <summary>JSON schema (version {version})</summary>
              <JsonBlock value={schema} label={`JSON schema of ${type.name}`} />
            </details>
          </div>
        );
      })}
    </article>
  );
}

export function EventCatalog() {
  const types = useEventTypes();
  return (
    <section aria-labelledby="catalog-title">
      <div className="section-head">
        <div>
          <h1 id="catalog-title">Event catalog</h1>
          <p className="muted">The events you can subscribe an endpoint to, with their payloads.</p>
        </div>
      </div>
      {types.isPending && <Loading what="the event catalog" />}
      {types.isError && <ErrorState error={types.error} retry={() => void types.refetch()} />}
      {types.data?.data.length === 0 && (
        <EmptyState title="No event types published yet">
          <p>Endpoints receive every event until event types are published. Check back later.</p>
        </EmptyState>
      )}
      <div className="stack">
        {types.data?.data.map((t) => (
          <EventTypeCard key={t.name} type={t} />
        ))}
      </div>
    </section>
  );
}
