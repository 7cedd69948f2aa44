import { useId, useState } from 'react';
import { ApiError, ErrorState, Panel } from '@hookline/ui';
import { useCan } from '../api/apiContext.tsx';
import { useReplay, type ReplayKind } from '../api/useBackgroundTask.ts';
import { toLocalInput } from './RecoverPanel.tsx';
import { TaskProgress } from './TaskProgress.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';

/** The API's 422 detail for `since`, shown on that field. */
function sinceError(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 422 || typeof error.detail === 'string') return undefined;
  return error.detail.find((d) => d.loc.includes('since'))?.msg;
}

/** Replays messages to the endpoint (the ones it never had, all, or the failed ones) and follows the task. */
export function ReplayPanel({ endpoint }: { endpoint: string }) {
  const id = useId();
  const { t } = useI18n();
  // The replay routes need CreateAttempts, which ManageEndpoint includes.
  const canCreate = useCan('CreateAttempts');
  const canManage = useCan('ManageEndpoint');
  const replay = useReplay();
  const [kind, setKind] = useState<ReplayKind>('missing');
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 86_400_000)));
  if (!canCreate && !canManage) return null;
  const sinceDate = new Date(since);
  const valid = since !== '' && !Number.isNaN(sinceDate.getTime());
  const fieldError = sinceError(replay.error);
  return (
    <Panel title={t('replay.title')}>
      <p className="muted">{t('replay.intro')}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) replay.mutate({ endpoint, kind, since: sinceDate.toISOString() });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t('replay.kind')}</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as ReplayKind)}>
            <option value="missing">{t('replay.kind.missing')}</option>
            <option value="failed">{t('replay.kind.failed')}</option>
            <option value="all">{t('replay.kind.all')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-since`}>{t('replay.since')}</label>
          <input
            id={`${id}-since`}
            type="datetime-local"
            value={since}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? `${id}-since-error` : undefined}
            onChange={(e) => setSince(e.target.value)}
          />
          {fieldError && (
            <p id={`${id}-since-error`} className="field-error">
              {fieldError}
            </p>
          )}
        </div>
        <button type="submit" className="btn" disabled={!valid || replay.isPending}>
          {t('replay.submit')}
        </button>
      </form>
      {replay.isError && !fieldError && <ErrorState error={replay.error} />}
      {replay.data && !replay.isPending && <TaskProgress key={replay.data.id} id={replay.data.id} />}
    </Panel>
  );
}
