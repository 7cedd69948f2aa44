import { useEventTypes, type EventType } from '../api/useEventTypes.ts';
import { EmptyState, ErrorState, JsonBlock, Loading } from '@hookline/ui';
import { useI18n } from '../i18n/I18nProvider.tsx';

/** The example payloads of a schema (JSON Schema `examples`), if any. */
function examplesOf(schema: unknown): unknown[] {
  const s = schema as { examples?: unknown[]; example?: unknown } | null;
  if (Array.isArray(s?.examples)) return s.examples;
  return s?.example !== undefined ? [s.example] : [];
}

function EventTypeCard({ type }: { type: EventType }) {
  const { t } = useI18n();
  const schemas = Object.entries(type.schemas ?? {});
  return (
    <article className="card event-type" aria-labelledby={`et-${type.name}`}>
      <h2 id={`et-${type.name}`}>
        <code>{type.name}</code>
        {type.deprecated && <span className="badge badge-neutral">{t('catalog.deprecated')}</span>}
      </h2>
      <p>{type.description || <span className="muted">{t('catalog.noDescription')}</span>}</p>
      {schemas.length === 0 && <p className="muted small">{t('catalog.noSchema')}</p>}
      {schemas.map(([version, schema]) => {
        const examples = examplesOf(schema);
        return (
          <div key={version} className="schema-block">
            {examples.length > 0 && (
              <details open>
                <summary>{t('catalog.example')}</summary>
                <JsonBlock value={examples[0]} label={t('catalog.exampleOf', { name: type.name })} />
              </details>
            )}
            <details>
              <summary>{t('catalog.schema', { version })}</summary>
              <JsonBlock value={schema} label={t('catalog.schemaOf', { name: type.name })} />
            </details>
          </div>
        );
      })}
    </article>
  );
}

export function EventCatalog() {
  const types = useEventTypes();
  const { t } = useI18n();
  return (
    <section aria-labelledby="catalog-title">
      <div className="section-head">
        <div>
          <h1 id="catalog-title">{t('catalog.title')}</h1>
          <p className="muted">{t('catalog.intro')}</p>
        </div>
      </div>
      {types.isPending && <Loading what={t('catalog.loading')} />}
      {types.isError && <ErrorState error={types.error} retry={() => void types.refetch()} />}
      {types.data?.data.length === 0 && (
        <EmptyState title={t('catalog.empty.title')}>
          <p>{t('catalog.empty.text')}</p>
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
