import { useId, useState } from 'react';
import { useCan } from '../api/apiContext.tsx';
import { useRecover } from '../api/useEndpoints.ts';
import { ErrorState, Panel } from '@hookline/ui';
import { TaskProgress } from './TaskProgress.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';

export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Resends every failed message since a chosen time. */
export function RecoverPanel({ endpoint }: { endpoint: string }) {
  const id = useId();
  const { t, dateTime } = useI18n();
  const canManage = useCan('ManageEndpoint');
  const canCreate = useCan('CreateAttempts');
  const recover = useRecover();
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 86_400_000)));
  const [done, setDone] = useState(false);
  if (!canManage && !canCreate) return null;
  const sinceDate = new Date(since);
  const valid = since !== '' && !Number.isNaN(sinceDate.getTime());
  return (
    <Panel title={t('recover.title')}>
      <p className="muted">{t('recover.intro')}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          setDone(false);
          recover.mutate({ id: endpoint, since: sinceDate.toISOString() }, { onSuccess: () => setDone(true) });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-since`}>{t('recover.since')}</label>
          <input id={`${id}-since`} type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        </div>
        <button type="submit" className="btn" disabled={!valid || recover.isPending}>
          {t('recover.submit')}
        </button>
      </form>
      {recover.isError && <ErrorState error={recover.error} />}
      {done && recover.data && (
        <>
          <p className="success-text">{t('recover.started', { since: dateTime(sinceDate) })}</p>
          <TaskProgress key={recover.data.id} id={recover.data.id} />
        </>
      )}
    </Panel>
  );
}
