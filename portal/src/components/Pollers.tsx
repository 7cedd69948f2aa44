import { useState } from 'react';
import { ConfirmDialog, CopyButton, EmptyState, ErrorState, Loading, Panel } from '@hookline/ui';
import { useApi, useCan } from '../api/apiContext.tsx';
import { useEventTypes } from '../api/useEventTypes.ts';
import { useCreatePoller, useDeletePoller, usePollers, type Poller } from '../api/usePollers.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { PollerForm } from './PollerForm.tsx';
import { pollerSnippet } from './pollerSnippet.ts';

function PollerCard({ poller, url, onDelete }: { poller: Poller; url: string; onDelete?: () => void }) {
  const { t, dateTime } = useI18n();
  const snippet = pollerSnippet(url);
  return (
    <li className="card poller" aria-labelledby={`poller-${poller.id}`}>
      <div className="section-head">
        <div className="min0">
          <h2 id={`poller-${poller.id}`}>
            <code>{poller.uid ?? poller.id}</code>
          </h2>
          {poller.description && <p>{poller.description}</p>}
          <p className="muted small">
            {poller.eventTypes?.length ? poller.eventTypes.join(', ') : t('pollers.allEventTypes')} ·{' '}
            {poller.channels?.length ? poller.channels.join(', ') : t('pollers.allChannels')} · {t('pollers.created', { date: dateTime(poller.createdAt) })}
          </p>
        </div>
        {onDelete && (
          <button type="button" className="btn danger" onClick={onDelete}>
            {t('pollers.delete')}
          </button>
        )}
      </div>
      <div className="secret-row">
        <code className="break" aria-label={t('pollers.url')}>
          {url}
        </code>
        <CopyButton text={url} label={t('pollers.copyUrl')} />
      </div>
      <details className="snippet">
        <summary>{t('pollers.howTo')}</summary>
        <p className="hint">{t('pollers.howToHint')}</p>
        <pre className="code">{snippet}</pre>
        <CopyButton text={snippet} label={t('pollers.copySnippet')} />
      </details>
    </li>
  );
}

/** The application's polling endpoints: for customers who read their events instead of receiving them. */
export function Pollers() {
  const { t, rich } = useI18n();
  const { apiBase } = useApi();
  const canManage = useCan('ManageEndpoint');
  const pollers = usePollers();
  const eventTypes = useEventTypes();
  const create = useCreatePoller();
  const del = useDeletePoller();
  const [deleting, setDeleting] = useState<Poller | null>(null);
  const base = apiBase ?? window.location.origin;
  return (
    <section aria-labelledby="pollers-title">
      <h1 id="pollers-title">{t('pollers.title')}</h1>
      <p className="muted">{t('pollers.intro')}</p>
      {canManage && (
        <Panel title={t('pollers.create')}>
          <PollerForm eventTypes={eventTypes.data?.data ?? []} onCreate={(body) => create.mutateAsync(body)} />
        </Panel>
      )}
      {pollers.isPending && <Loading what={t('pollers.loading')} />}
      {pollers.isError && <ErrorState error={pollers.error} retry={() => void pollers.refetch()} />}
      {pollers.data?.data.length === 0 && (
        <EmptyState title={t('pollers.empty')}>
          <p>{canManage ? t('pollers.emptyManage') : t('pollers.emptyReadOnly')}</p>
        </EmptyState>
      )}
      {Boolean(pollers.data?.data.length) && (
        <ul className="list pollers" aria-label={t('pollers.listLabel')}>
          {pollers.data?.data.map((p) => (
            <PollerCard key={p.id} poller={p} url={`${base}${p.path}`} onDelete={canManage ? () => setDeleting(p) : undefined} />
          ))}
        </ul>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('pollers.deleteTitle')}
          confirmLabel={t('pollers.delete')}
          danger
          busy={del.isPending}
          error={del.error}
          onClose={() => setDeleting(null)}
          onConfirm={() => del.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        >
          <p>{rich('pollers.deleteText', { name: <code>{deleting.uid ?? deleting.id}</code> })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
