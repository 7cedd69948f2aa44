import { useEndpoint, useEndpointHeaders, useSaveEndpoint } from '../api/useEndpoints.ts';
import { useEventTypes } from '../api/useEventTypes.ts';
import { ErrorState, Loading } from '@hookline/ui';
import { EndpointForm, valuesFromEndpoint } from './EndpointForm.tsx';
import type { Route } from './route.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';

export function EndpointFormPage({ id, go }: { id?: string; go: (r: Route) => void }) {
  const { t } = useI18n();
  const eventTypes = useEventTypes();
  const endpoint = useEndpoint(id ?? '');
  const headers = useEndpointHeaders(id);
  const save = useSaveEndpoint();
  const back = () => go(id ? { view: 'endpoint', id } : { view: 'endpoints' });
  const loading = eventTypes.isPending || (id && (endpoint.isPending || headers.isPending));
  const error = eventTypes.error ?? (id ? (endpoint.error ?? headers.error) : null);
  return (
    <section aria-labelledby="form-title">
      <button type="button" className="link-button back" onClick={back}>
        {t('form.back')}
      </button>
      <h1 id="form-title">{id ? t('form.editTitle') : t('form.addTitle')}</h1>
      {error ? (
        <ErrorState error={error} />
      ) : loading ? (
        <Loading what={t('form.loading')} />
      ) : (
        <div className="card">
          <EndpointForm
            initial={valuesFromEndpoint(id ? endpoint.data : undefined, id ? headers.data?.headers : {}, id ? headers.data?.sensitive : [])}
            eventTypes={eventTypes.data?.data ?? []}
            submitLabel={id ? t('form.save') : t('form.create')}
            onCancel={back}
            onSubmit={async (body, hdrs, kept) => {
              const keptNames = new Set(kept.map((n) => n.toLowerCase()));
              const before = [...Object.keys(headers.data?.headers ?? {}), ...(headers.data?.sensitive ?? [])];
              const removed = before.filter((n) => !keptNames.has(n.toLowerCase()));
              const saved = await save.mutateAsync({ id, body, headers: hdrs, removed });
              go({ view: 'endpoint', id: saved.id });
            }}
          />
        </div>
      )}
    </section>
  );
}
