import { useId, useState } from 'react';
import { useCan } from '../api/apiContext.tsx';
import { useMessageAttempts } from '../api/useAttempts.ts';
import { useSendExample } from '../api/useEndpoints.ts';
import { useEventTypes } from '../api/useEventTypes.ts';
import { ErrorState, StatusBadge, Panel } from '@hookline/ui';
import { useI18n } from '../i18n/I18nProvider.tsx';

function TestResult({ msg, endpoint }: { msg: string; endpoint: string }) {
  const { t, rich } = useI18n();
  const attempts = useMessageAttempts(msg, {}, endpoint);
  const latest = attempts.data?.data.find((a) => a.endpointId === endpoint);
  if (attempts.isError) return <ErrorState error={attempts.error} />;
  if (!latest)
    return (
      <p role="status" className="muted">
        {rich('testing.waiting', { id: <code>{msg}</code> })}
      </p>
    );
  return (
    <div role="status" className="test-result">
      <StatusBadge status={latest.statusText} />{' '}
      <span>
        {t('testing.result', {
          status: latest.responseStatusCode ? t('logs.http', { code: String(latest.responseStatusCode) }) : t('logs.noResponse'),
          ms: latest.responseDurationMs,
        })}
      </span>
      {latest.response && <pre className="code small">{latest.response}</pre>}
    </div>
  );
}

export function TestingPanel({ endpoint, subscribed }: { endpoint: string; subscribed: string[] | null }) {
  const id = useId();
  const { t } = useI18n();
  const canCreate = useCan('CreateAttempts');
  const canManage = useCan('ManageEndpoint');
  const canSend = canCreate || canManage;
  const eventTypes = useEventTypes();
  const send = useSendExample();
  const [eventType, setEventType] = useState('');
  const [sentMsg, setSentMsg] = useState<string | null>(null);
  if (!canSend) return null;
  // The endpoint's own event types first: those are the ones it will receive for real.
  const all = (eventTypes.data?.data ?? []).map((t) => t.name);
  const mine = subscribed?.length ? subscribed : [];
  const names = [...mine, ...all.filter((n) => !mine.includes(n))];
  const chosen = eventType || names[0] || 'svix.ping';
  return (
    <Panel title={t('testing.title')}>
      <p className="muted">{t('testing.intro')}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setSentMsg(null);
          send.mutate({ id: endpoint, eventType: chosen }, { onSuccess: (m) => setSentMsg(m.id) });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-type`}>{t('testing.eventType')}</label>
          <select id={`${id}-type`} value={chosen} onChange={(e) => setEventType(e.target.value)}>
            {names.length === 0 && <option value="svix.ping">svix.ping</option>}
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn primary" disabled={send.isPending}>
          {send.isPending ? t('testing.sending') : t('testing.send')}
        </button>
      </form>
      {send.isError && <ErrorState error={send.error} />}
      {sentMsg && <TestResult msg={sentMsg} endpoint={endpoint} />}
    </Panel>
  );
}
