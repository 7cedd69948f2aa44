import { useId, useState } from 'react';
import { useEndpoints } from '../api/useEndpoints.ts';
import { AttemptLog } from './AttemptLog.tsx';
import { MessageLog } from './MessageLog.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';

// The endpoint page shows an endpoint's attempts with the same component.
export { AttemptLog } from './AttemptLog.tsx';

/** Logs of the whole application (messages with their delivery per endpoint) or of one endpoint (attempts). */
export function Logs() {
  const id = useId();
  const endpoints = useEndpoints();
  const [scope, setScope] = useState('');
  const { t } = useI18n();
  const list = endpoints.data?.data ?? [];
  return (
    <section aria-labelledby="logs-title">
      <div className="section-head">
        <div>
          <h1 id="logs-title">{t('logs.title')}</h1>
          <p className="muted">{t('logs.intro')}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-scope`}>{t('logs.show')}</label>
          <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="">{t('logs.allMessages')}</option>
            {list.map((ep) => (
              <option key={ep.id} value={ep.id}>
                {t('logs.attemptsTo', { url: ep.url })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="card">{scope ? <AttemptLog key={scope} fixedEndpoint={scope} /> : <MessageLog endpoints={list} />}</div>
    </section>
  );
}
