import { useCan } from '../api/apiContext.tsx';
import { useAttempt, useMessage, useResend, type Attempt } from '../api/useAttempts.ts';
import { Dialog, ErrorState, JsonBlock, Loading, StatusBadge } from '@hookline/ui';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { Translator } from '../i18n/translator.ts';

export function statusText(a: Attempt, { t }: Translator) {
  return a.responseStatusCode ? t('logs.http', { code: String(a.responseStatusCode) }) : t('logs.noResponse');
}

/** Header lines as sent, one `name: value` a line; a redacted one shows its name only. */
function headerLines(headers: Record<string, string>, redacted: string[], hidden: string): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  for (const name of redacted) if (!(name in headers)) lines.push(`${name}: ${hidden}`);
  return lines.join('\n');
}

/** Request (with the headers it was actually sent with), response and timing of one attempt, with resend. */
export function AttemptDetail({ msgId, attemptId, onClose }: { msgId: string; attemptId: string; onClose: () => void }) {
  const i18n = useI18n();
  const { t, dateTime, relative } = i18n;
  const attempt = useAttempt(msgId, attemptId);
  const message = useMessage(msgId);
  const resend = useResend();
  const canResend = useCan('CreateAttempts');
  const canManage = useCan('ManageEndpoint');
  const a = attempt.data;
  const sent = a?.requestHeaders;
  return (
    <Dialog title={t('logs.attemptDetails')} onClose={onClose} wide>
      {attempt.isPending && <Loading what={t('logs.loadingAttempt')} />}
      {attempt.isError && <ErrorState error={attempt.error} />}
      {a && sent && (
        <div className="attempt-detail">
          <div className="facts-inline">
            <StatusBadge status={a.statusText} />
            <span>{statusText(a, i18n)}</span>
            <span>{t('logs.ms', { ms: a.responseDurationMs })}</span>
            <time className="muted" dateTime={a.timestamp}>
              {dateTime(a.timestamp)}
            </time>
            <span className="muted">{relative(a.timestamp)}</span>
            <span className="muted">{a.triggerType === 1 ? t('logs.manual') : t('logs.scheduled')}</span>
          </div>
          <h3>{t('logs.request')}</h3>
          <p className="small">
            <strong>POST</strong> <code className="break">{a.url}</code>
          </p>
          <p className="small muted">{t('logs.requestHeaders')}</p>
          {Object.keys(sent.headers).length === 0 && sent.redacted.length === 0 ? (
            <p className="small muted">{t('logs.headers.none')}</p>
          ) : (
            <JsonBlock label={t('logs.requestHeaders')} value={headerLines(sent.headers, sent.redacted, t('logs.headers.hidden'))} />
          )}
          {!sent.recorded && <p className="small muted">{t('logs.headers.rebuilt')}</p>}
          {sent.redacted.length > 0 && <p className="small muted">{t('logs.headers.redacted', { names: sent.redacted.join(', ') })}</p>}
          <h3>{t('logs.requestBody')}</h3>
          {message.isPending ? (
            <Loading what={t('logs.loadingPayload')} />
          ) : message.isError ? (
            <ErrorState error={message.error} />
          ) : (
            <JsonBlock label={t('logs.requestBody')} value={message.data.payload} />
          )}
          <h3>{t('logs.response')}</h3>
          <p className="small">{t('logs.responseAfter', { status: statusText(a, i18n), ms: a.responseDurationMs })}</p>
          {a.responseHeaders && <p className="small muted">{t('logs.responseHeaders')}</p>}
          {a.responseHeaders && (
            <JsonBlock
              label={t('logs.responseHeaders')}
              value={Object.entries(a.responseHeaders)
                .map(([name, value]) => `${name}: ${value}`)
                .join('\n')}
            />
          )}
          <JsonBlock label={t('logs.responseBody')} value={a.response || t('logs.emptyBody')} />
          {(canResend || canManage) && (
            <div className="actions">
              <button type="button" className="btn primary" disabled={resend.isPending} onClick={() => resend.mutate({ msg: a.msgId, endpoint: a.endpointId })}>
                {resend.isPending ? t('logs.resending') : t('logs.resend')}
              </button>
              {resend.isSuccess && (
                <span role="status" className="success-text">
                  {t('logs.resent')}
                </span>
              )}
            </div>
          )}
          {resend.isError && <ErrorState error={resend.error} />}
        </div>
      )}
    </Dialog>
  );
}
