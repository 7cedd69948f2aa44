import { useId, useState } from 'react';
import { ErrorState, Loading } from '@hookline/ui';
import { useCan } from '../api/apiContext.tsx';
import {
  useNotificationSettings,
  useSaveNotificationSettings,
  useSendTestNotice,
  type NoticeTestResult,
  type NotificationSettings as Settings,
  type NotificationSettingsIn,
} from '../api/useNotificationSettings.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { apiFieldErrors, type FormErrors } from './apiFieldErrors.ts';
import { describedBy, FieldError } from './fieldErrors.tsx';

type Field = 'emails' | 'chatWebhookUrl' | 'chatKind' | 'consecutiveFailures' | 'minIntervalMinutes' | 'events';
type NoticeKind = Settings['events'][number];
type ChatKind = NonNullable<Settings['chatKind']>;
const KINDS: readonly NoticeKind[] = ['failing', 'disabled', 'recovered'];
const CHAT_KINDS: readonly ChatKind[] = ['slack', 'discord', 'teams'];
// Example values in the placeholders: the same in every language.
const EXAMPLE_EMAIL = 'ops@example.com';
const EXAMPLE_CHAT_URL = 'https://hooks.slack.com/services/…';
const FIELDS: readonly Field[] = ['emails', 'chatWebhookUrl', 'chatKind', 'consecutiveFailures', 'minIntervalMinutes', 'events'];

export interface NoticeFormValues {
  /** One address a line (commas work too). */
  emails: string;
  /** A new URL; empty keeps the stored one (the API shows it masked). */
  chatWebhookUrl: string;
  removeChat: boolean;
  chatKind: ChatKind | '';
  consecutiveFailures: string;
  minIntervalMinutes: string;
  events: NoticeKind[];
}

export function valuesFromSettings(s: Settings): NoticeFormValues {
  return {
    emails: s.emails.join('\n'),
    chatWebhookUrl: '',
    removeChat: false,
    chatKind: s.chatKind ?? '',
    consecutiveFailures: s.thresholds.consecutiveFailures != null ? String(s.thresholds.consecutiveFailures) : '',
    minIntervalMinutes: String(s.minIntervalMinutes),
    events: [...s.events],
  };
}

/** The PUT body: the failure-rate threshold (not edited here) is kept as stored; numbers are the API's to check. */
export function settingsBody(v: NoticeFormValues, saved: Settings): NotificationSettingsIn {
  const url = v.chatWebhookUrl.trim();
  const failures = v.consecutiveFailures.trim();
  return {
    emails: v.emails
      .split(/[\n,]/)
      .map((e) => e.trim())
      .filter(Boolean),
    ...(v.removeChat ? { chatWebhookUrl: null } : url ? { chatWebhookUrl: url } : {}),
    ...(v.chatKind && !v.removeChat ? { chatKind: v.chatKind } : {}),
    thresholds: {
      ...(failures ? { consecutiveFailures: Number(failures) } : {}),
      ...(saved.thresholds.failureRate ? { failureRate: saved.thresholds.failureRate } : {}),
    },
    minIntervalMinutes: Number(v.minIntervalMinutes.trim() || 60),
    events: KINDS.filter((k) => v.events.includes(k)),
  };
}

/** Where the application's failure notices go: email addresses and a chat webhook, with a test notice. */
export function NotificationSettings() {
  const { t } = useI18n();
  const settings = useNotificationSettings();
  return (
    <section aria-labelledby="notices-title">
      <div className="section-head">
        <div>
          <h1 id="notices-title">{t('notices.title')}</h1>
          <p className="muted">{t('notices.intro')}</p>
        </div>
      </div>
      {settings.isPending && <Loading what={t('notices.loading')} />}
      {settings.isError && <ErrorState error={settings.error} retry={() => void settings.refetch()} />}
      {settings.data && <NoticeForm saved={settings.data} />}
    </section>
  );
}

export function NoticeForm({ saved }: { saved: Settings }) {
  const id = useId();
  const { t } = useI18n();
  const canManage = useCan('ManageEndpoint');
  const save = useSaveNotificationSettings();
  const test = useSendTestNotice();
  const [values, setValues] = useState(() => valuesFromSettings(saved));
  const [problems, setProblems] = useState<FormErrors<Field>>({});
  const [done, setDone] = useState(false);
  const set = <K extends keyof NoticeFormValues>(key: K, value: NoticeFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const f = (name: string) => `${id}-${name}`;
  const desc = (name: Field, hint?: boolean) => describedBy(problems[name], f(`${name}-error`), hint ? f(`${name}-hint`) : undefined);
  const invalid = (name: Field) => Boolean(problems[name]);

  const submit = () => {
    setProblems({});
    setDone(false);
    test.reset();
    save.mutate(settingsBody(values, saved), {
      onSuccess: (next) => {
        setValues(valuesFromSettings(next));
        setDone(true);
      },
      onError: (err) => {
        const found = apiFieldErrors<Field | 'thresholds'>(err, [...FIELDS, 'thresholds'], t, t('notices.saveFailed'));
        // The API names the thresholds object; its one field here is consecutiveFailures.
        const { thresholds, ...rest } = found;
        setProblems(thresholds ? { consecutiveFailures: thresholds, ...rest } : rest);
      },
    });
  };

  return (
    <div className="card notices">
      <form
        className="form"
        aria-label={t('notices.formLabel')}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {problems.form && (
          <p className="error-state" role="alert">
            {problems.form}
          </p>
        )}
        <fieldset className="form plain-fieldset" disabled={!canManage}>
          <div className="field">
            <label htmlFor={f('emails')}>{t('notices.emails')}</label>
            <textarea
              id={f('emails')}
              rows={3}
              value={values.emails}
              placeholder={EXAMPLE_EMAIL}
              onChange={(e) => set('emails', e.target.value)}
              aria-invalid={invalid('emails')}
              aria-describedby={desc('emails', true)}
            />
            <p className="hint" id={f('emails-hint')}>
              {t('notices.emailsHint')}
            </p>
            <FieldError id={f('emails-error')} message={problems.emails} />
          </div>
          <div className="field">
            <label htmlFor={f('chatWebhookUrl')}>{t('notices.chatWebhookUrl')}</label>
            <input
              id={f('chatWebhookUrl')}
              type="url"
              inputMode="url"
              autoComplete="off"
              value={values.chatWebhookUrl}
              placeholder={EXAMPLE_CHAT_URL}
              disabled={values.removeChat}
              onChange={(e) => set('chatWebhookUrl', e.target.value)}
              aria-invalid={invalid('chatWebhookUrl')}
              aria-describedby={desc('chatWebhookUrl', true)}
            />
            <p className="hint" id={f('chatWebhookUrl-hint')}>
              {saved.chatWebhookUrl ? t('notices.chatStored', { url: saved.chatWebhookUrl }) : t('notices.chatHint')}
            </p>
            <FieldError id={f('chatWebhookUrl-error')} message={problems.chatWebhookUrl} />
            {saved.chatWebhookUrl && (
              <label className="check">
                <input type="checkbox" checked={values.removeChat} onChange={(e) => set('removeChat', e.target.checked)} />
                <span>{t('notices.removeChat')}</span>
              </label>
            )}
          </div>
          <div className="field narrow-field">
            <label htmlFor={f('chatKind')}>{t('notices.chatKind')}</label>
            <select
              id={f('chatKind')}
              value={values.chatKind}
              onChange={(e) => set('chatKind', e.target.value as ChatKind | '')}
              aria-invalid={invalid('chatKind')}
              aria-describedby={desc('chatKind')}
            >
              <option value="">{t('notices.chatKindAuto')}</option>
              {CHAT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`notices.service.${k}`)}
                </option>
              ))}
            </select>
            <FieldError id={f('chatKind-error')} message={problems.chatKind} />
          </div>
          <fieldset className="field" aria-describedby={desc('events')}>
            <legend>{t('notices.events')}</legend>
            {KINDS.map((k) => (
              <label key={k} className="check">
                <input
                  type="checkbox"
                  checked={values.events.includes(k)}
                  onChange={(e) => set('events', e.target.checked ? [...values.events, k] : values.events.filter((x) => x !== k))}
                />
                <span>{t(`notices.event.${k}`)}</span>
              </label>
            ))}
            <FieldError id={f('events-error')} message={problems.events} />
          </fieldset>
          <div className="field narrow-field">
            <label htmlFor={f('consecutiveFailures')}>{t('notices.consecutiveFailures')}</label>
            <input
              id={f('consecutiveFailures')}
              type="number"
              inputMode="numeric"
              min={1}
              value={values.consecutiveFailures}
              onChange={(e) => set('consecutiveFailures', e.target.value)}
              aria-invalid={invalid('consecutiveFailures')}
              aria-describedby={desc('consecutiveFailures')}
            />
            <FieldError id={f('consecutiveFailures-error')} message={problems.consecutiveFailures} />
          </div>
          <div className="field narrow-field">
            <label htmlFor={f('minIntervalMinutes')}>{t('notices.minIntervalMinutes')}</label>
            <input
              id={f('minIntervalMinutes')}
              type="number"
              inputMode="numeric"
              min={1}
              value={values.minIntervalMinutes}
              onChange={(e) => set('minIntervalMinutes', e.target.value)}
              aria-invalid={invalid('minIntervalMinutes')}
              aria-describedby={desc('minIntervalMinutes')}
            />
            <FieldError id={f('minIntervalMinutes-error')} message={problems.minIntervalMinutes} />
          </div>
        </fieldset>
        {canManage && (
          <div className="actions">
            <button type="submit" className="btn primary" disabled={save.isPending}>
              {save.isPending ? t('notices.saving') : t('notices.save')}
            </button>
            <button type="button" className="btn" disabled={test.isPending} onClick={() => test.mutate()}>
              {test.isPending ? t('notices.testing') : t('notices.test')}
            </button>
            {done && (
              <span role="status" className="muted">
                {t('notices.saved')}
              </span>
            )}
          </div>
        )}
      </form>
      {canManage && <p className="hint">{t('notices.testHint')}</p>}
      {test.isError && <ErrorState error={test.error} />}
      {test.data && <TestOutcome results={test.data.results} />}
    </div>
  );
}

function TestOutcome({ results }: { results: NoticeTestResult[] }) {
  const { t } = useI18n();
  if (results.length === 0)
    return (
      <p role="status" className="muted">
        {t('notices.testNoTargets')}
      </p>
    );
  return (
    <div role="status">
      <ul className="notice-results">
        {results.map((r) => (
          <li key={`${r.target}:${r.to}`}>
            <span className={r.ok ? 'badge badge-success' : 'badge badge-fail'}>{r.ok ? t('notices.testSent') : t('notices.testFailed')}</span>{' '}
            <span>{r.target === 'email' ? t('notices.testToEmail', { to: r.to }) : t('notices.testToChat', { to: r.to })}</span>
            {r.error && <span className="muted"> · {r.error}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
