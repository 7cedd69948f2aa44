import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '@hookline/ui';
import type { Endpoint, EndpointIn } from '../api/useEndpoints.ts';
import type { EventType } from '../api/useEventTypes.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { english, type Translate } from '../i18n/translator.ts';

type FieldName = 'url' | 'description' | 'eventTypes' | 'channels' | 'headers' | 'throttleRate' | 'filter';
export type FieldErrors = Partial<Record<FieldName | 'form', string>>;

export interface EndpointFormValues {
  url: string;
  description: string;
  eventTypes: string[];
  channels: string;
  /** `hidden`: a credential header whose value the API does not show; kept unless a new value is entered. */
  headers: { name: string; value: string; hidden?: boolean }[];
  throttleRate: string;
  filter: string;
}

export function valuesFromEndpoint(ep: Endpoint | undefined, headers: Record<string, string> = {}, hidden: string[] = []): EndpointFormValues {
  return {
    url: ep?.url ?? '',
    description: ep?.description ?? '',
    eventTypes: ep?.eventTypes ?? [],
    channels: (ep?.channels ?? []).join(', '),
    headers: [...Object.entries(headers).map(([name, value]) => ({ name, value })), ...hidden.map((name) => ({ name, value: '', hidden: true }))],
    throttleRate: ep?.throttleRate != null ? String(ep.throttleRate) : '',
    filter: ep?.filter ? JSON.stringify(ep.filter, null, 2) : '',
  };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CHANNEL = /^[-_a-zA-Z0-9:#|.]+$/;
// Example values in the placeholders: the same in every language.
const EXAMPLE_URL = 'https://example.com/webhooks';
const EXAMPLE_CHANNELS = 'project-1, eu';
const EXAMPLE_HEADER = 'X-Example';
const FILTER_EXAMPLE = '{"data.amount": {"$gte": 100}}';
const FILTER_OPERATORS = '$eq $neq $gt $gte $lt $lte $in $nin $exist $or $and';

/**
 * Checks the form before sending; the API checks again and its 422s land on the same fields.
 * `headers` are the values to set; `kept` names every header still in the form (hidden ones too).
 * The messages are in `t`'s language.
 */
export function validateEndpointForm(
  v: EndpointFormValues,
  t: Translate = english.t,
): { errors: FieldErrors; body?: EndpointIn; headers?: Record<string, string>; kept?: string[] } {
  const errors: FieldErrors = {};
  const url = v.url.trim();
  if (!url) errors.url = t('form.error.urlMissing');
  else {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') errors.url = t('form.error.urlScheme');
    } catch {
      errors.url = t('form.error.urlInvalid', { example: EXAMPLE_URL });
    }
  }
  let throttleRate: number | null = null;
  if (v.throttleRate.trim()) {
    const n = Number(v.throttleRate);
    if (!Number.isInteger(n) || n < 0 || n > 65535) errors.throttleRate = t('form.error.throttleRate');
    else throttleRate = n;
  }
  const channels = v.channels
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const badChannel = channels.find((c) => !CHANNEL.test(c) || c.length > 128);
  if (badChannel) errors.channels = t('form.error.channel', { channel: badChannel });
  else if (channels.length > 10) errors.channels = t('form.error.tooManyChannels');
  let filter: Record<string, unknown> | null = null;
  if (v.filter.trim()) {
    try {
      const parsed: unknown = JSON.parse(v.filter);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) errors.filter = t('form.error.filterObject', { example: FILTER_EXAMPLE });
      else filter = parsed as Record<string, unknown>;
    } catch (e) {
      errors.filter = t('form.error.filterJson', { reason: e instanceof Error ? e.message : t('form.error.syntax') });
    }
  }
  const headers: Record<string, string> = {};
  const kept: string[] = [];
  for (const h of v.headers) {
    const name = h.name.trim();
    if (!name && !h.value) continue;
    if (!HEADER_NAME.test(name)) {
      errors.headers = t('form.error.headerName', { name: name || t('form.error.emptyName') });
      break;
    }
    kept.push(name);
    if (!h.hidden || h.value) headers[name] = h.value;
  }
  if (Object.keys(errors).length) return { errors };
  return {
    errors,
    headers,
    kept,
    body: {
      url,
      description: v.description,
      eventTypes: v.eventTypes.length ? v.eventTypes : null,
      channels: channels.length ? channels : null,
      throttleRate,
      filter,
    },
  };
}

/** API 422 problems, keyed by the form field they concern. */
export function fieldErrorsFromApi(error: unknown, t: Translate = english.t): FieldErrors {
  if (!(error instanceof ApiError)) return { form: error instanceof Error ? error.message : t('form.error.saveFailed') };
  if (typeof error.detail === 'string') return { form: error.detail };
  const out: FieldErrors = {};
  const known: FieldName[] = ['url', 'description', 'eventTypes', 'channels', 'headers', 'throttleRate', 'filter'];
  for (const issue of error.detail) {
    const key = String(issue.loc[0] === 'body' ? issue.loc[1] : issue.loc[0]) as FieldName;
    if (known.includes(key)) out[key] ??= issue.msg;
    else out.form = [out.form, `${issue.loc.slice(1).join('.') || t('form.error.request')}: ${issue.msg}`].filter(Boolean).join(' ');
  }
  return out;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  );
}

export function EndpointForm({
  initial,
  eventTypes,
  onSubmit,
  onCancel,
  submitLabel,
}: {
  initial: EndpointFormValues;
  eventTypes: EventType[];
  /** `headers`: values to set; `kept`: every header name left in the form (the others are removed). */
  onSubmit: (body: EndpointIn, headers: Record<string, string>, kept: string[]) => Promise<unknown>;
  onCancel?: () => void;
  submitLabel: string;
}) {
  const id = useId();
  const { t } = useI18n();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof EndpointFormValues>(key: K, value: EndpointFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const f = (name: string) => `${id}-${name}`;
  const described = (name: FieldName, hint?: boolean) =>
    [errors[name] ? f(`${name}-error`) : null, hint ? f(`${name}-hint`) : null].filter(Boolean).join(' ') || undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const checked = validateEndpointForm(values, t);
    setErrors(checked.errors);
    if (!checked.body) return;
    setBusy(true);
    try {
      await onSubmit(checked.body, checked.headers ?? {}, checked.kept ?? []);
    } catch (err) {
      setErrors(fieldErrorsFromApi(err, t));
    } finally {
      setBusy(false);
    }
  }

  const known = new Set(eventTypes.map((t) => t.name));
  const extraSelected = values.eventTypes.filter((t) => !known.has(t));

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('form.label')}>
      {errors.form && (
        <p className="error-state" role="alert">
          {errors.form}
        </p>
      )}
      <div className="field">
        <label htmlFor={f('url')}>{t('form.url')}</label>
        <input
          id={f('url')}
          name="url"
          type="url"
          inputMode="url"
          placeholder={EXAMPLE_URL}
          value={values.url}
          onChange={(e) => set('url', e.target.value)}
          aria-invalid={Boolean(errors.url)}
          aria-describedby={described('url')}
          required
        />
        <FieldError id={f('url-error')} message={errors.url} />
      </div>
      <div className="field">
        <label htmlFor={f('description')}>{t('form.description')}</label>
        <input
          id={f('description')}
          name="description"
          value={values.description}
          placeholder={t('form.descriptionPlaceholder')}
          onChange={(e) => set('description', e.target.value)}
          aria-invalid={Boolean(errors.description)}
          aria-describedby={described('description')}
        />
        <FieldError id={f('description-error')} message={errors.description} />
      </div>
      <fieldset className="field" aria-describedby={described('eventTypes', true)}>
        <legend>{t('form.eventTypes')}</legend>
        <p id={f('eventTypes-hint')} className="hint">
          {t('form.eventTypesHint')}
        </p>
        {eventTypes.length === 0 && extraSelected.length === 0 && <p className="muted small">{t('form.noEventTypes')}</p>}
        <div className="checklist">
          {[...eventTypes.map((t) => ({ name: t.name, description: t.description })), ...extraSelected.map((n) => ({ name: n, description: '' }))].map((t) => (
            <div key={t.name} className="check">
              <input
                id={f(`et-${t.name}`)}
                type="checkbox"
                checked={values.eventTypes.includes(t.name)}
                onChange={(e) => set('eventTypes', e.target.checked ? [...values.eventTypes, t.name] : values.eventTypes.filter((x) => x !== t.name))}
              />
              <label htmlFor={f(`et-${t.name}`)}>
                <code>{t.name}</code>
                {t.description && <span className="muted small"> — {t.description}</span>}
              </label>
            </div>
          ))}
        </div>
        <FieldError id={f('eventTypes-error')} message={errors.eventTypes} />
      </fieldset>
      <details
        className="advanced"
        open={Boolean(
          values.channels || values.headers.length || values.throttleRate || values.filter || errors.channels || errors.headers || errors.throttleRate || errors.filter,
        )}
      >
        <summary>{t('form.advanced')}</summary>
        <div className="field">
          <label htmlFor={f('channels')}>{t('form.channels')}</label>
          <input
            id={f('channels')}
            name="channels"
            value={values.channels}
            placeholder={EXAMPLE_CHANNELS}
            onChange={(e) => set('channels', e.target.value)}
            aria-invalid={Boolean(errors.channels)}
            aria-describedby={described('channels', true)}
          />
          <p id={f('channels-hint')} className="hint">
            {t('form.channelsHint')}
          </p>
          <FieldError id={f('channels-error')} message={errors.channels} />
        </div>
        <fieldset className="field">
          <legend>{t('form.headers')}</legend>
          <p className="hint">{t('form.headersHint')}</p>
          {values.headers.map((h, i) => (
            <div className="header-row" key={i}>
              <label className="sr-only" htmlFor={f(`hname-${i}`)}>
                {t('form.headerName', { n: i + 1 })}
              </label>
              <input
                id={f(`hname-${i}`)}
                placeholder={EXAMPLE_HEADER}
                value={h.name}
                readOnly={h.hidden}
                onChange={(e) =>
                  set(
                    'headers',
                    values.headers.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)),
                  )
                }
              />
              <label className="sr-only" htmlFor={f(`hvalue-${i}`)}>
                {t('form.headerValue', { n: i + 1 })}
              </label>
              <input
                id={f(`hvalue-${i}`)}
                placeholder={h.hidden ? t('form.headerHiddenPlaceholder') : t('form.headerValuePlaceholder')}
                value={h.value}
                type={h.hidden ? 'password' : 'text'}
                autoComplete="off"
                onChange={(e) =>
                  set(
                    'headers',
                    values.headers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)),
                  )
                }
              />
              <button
                type="button"
                className="btn small ghost"
                onClick={() =>
                  set(
                    'headers',
                    values.headers.filter((_, j) => j !== i),
                  )
                }
              >
                {t('form.removeHeader', { n: i + 1 })}
              </button>
            </div>
          ))}
          <button type="button" className="btn small" onClick={() => set('headers', [...values.headers, { name: '', value: '' }])}>
            {t('form.addHeader')}
          </button>
          <FieldError id={f('headers-error')} message={errors.headers} />
        </fieldset>
        <div className="field">
          <label htmlFor={f('throttleRate')}>{t('form.rateLimit')}</label>
          <input
            id={f('throttleRate')}
            name="throttleRate"
            inputMode="numeric"
            value={values.throttleRate}
            placeholder={t('form.noLimit')}
            onChange={(e) => set('throttleRate', e.target.value)}
            aria-invalid={Boolean(errors.throttleRate)}
            aria-describedby={described('throttleRate')}
          />
          <FieldError id={f('throttleRate-error')} message={errors.throttleRate} />
        </div>
        <div className="field">
          <label htmlFor={f('filter')}>{t('form.filter')}</label>
          <textarea
            id={f('filter')}
            name="filter"
            rows={4}
            spellCheck={false}
            value={values.filter}
            placeholder={FILTER_EXAMPLE}
            onChange={(e) => set('filter', e.target.value)}
            aria-invalid={Boolean(errors.filter)}
            aria-describedby={described('filter', true)}
          />
          <p id={f('filter-hint')} className="hint">
            {t('form.filterHint', { operators: FILTER_OPERATORS })}
          </p>
          <FieldError id={f('filter-error')} message={errors.filter} />
        </div>
      </details>
      <div className="actions">
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? t('form.saving') : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            {t('form.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
