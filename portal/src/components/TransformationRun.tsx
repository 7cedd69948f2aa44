import { useId, useState } from 'react';
import { ApiError } from '@hookline/ui';
import { useEventTypes } from '../api/useEventTypes.ts';
import { useSimulateTransformation, type SimulateOut } from '../api/useTransformation.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { apiFieldErrors, type FormErrors } from './apiFieldErrors.ts';
import { describedBy, FieldError } from './fieldErrors.tsx';

type Field = 'eventType' | 'payload' | 'code';

/** Runs the code in the editor (saved or not) on the event type's example or a pasted payload; sends nothing. */
export function TransformationRun({ endpoint, subscribed, code }: { endpoint: string; subscribed: string[] | null; code: string }) {
  const id = useId();
  const { t } = useI18n();
  const eventTypes = useEventTypes();
  const simulate = useSimulateTransformation(endpoint);
  const [eventType, setEventType] = useState('');
  const [payload, setPayload] = useState('');
  const [problems, setProblems] = useState<FormErrors<Field>>({});
  const [result, setResult] = useState<SimulateOut | null>(null);
  // The endpoint's own event types first: those are the ones it will receive.
  const mine = subscribed ?? [];
  const names = [...mine, ...(eventTypes.data?.data ?? []).map((e) => e.name).filter((n) => !mine.includes(n))];
  const chosen = eventType || names[0] || 'svix.ping';

  const run = () => {
    setResult(null);
    let parsed: unknown;
    if (payload.trim()) {
      try {
        parsed = JSON.parse(payload);
      } catch (e) {
        setProblems({ payload: t('transform.run.payloadJson', { reason: e instanceof Error ? e.message : '' }) });
        return;
      }
    }
    setProblems({});
    simulate.mutate(
      { code, eventType: chosen, ...(parsed !== undefined ? { payload: parsed } : {}) },
      {
        onSuccess: setResult,
        onError: (err) =>
          // A run that threw or timed out is a 400 transformation_failed: its reason is the run's outcome.
          setProblems(
            err instanceof ApiError && err.code === 'transformation_failed'
              ? { form: t('transform.run.failed', { reason: typeof err.detail === 'string' ? err.detail : err.message }) }
              : apiFieldErrors(err, ['eventType', 'payload', 'code'], t, t('transform.run.error')),
          ),
      },
    );
  };

  return (
    <section className="transform-run" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('transform.run.title')}</h3>
      <p className="hint">{t('transform.run.intro')}</p>
      <div className="field narrow-field">
        <label htmlFor={`${id}-type`}>{t('transform.run.eventType')}</label>
        <select
          id={`${id}-type`}
          value={chosen}
          onChange={(e) => setEventType(e.target.value)}
          aria-invalid={Boolean(problems.eventType)}
          aria-describedby={describedBy(problems.eventType, `${id}-type-error`)}
        >
          {names.length === 0 && <option value="svix.ping">svix.ping</option>}
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <FieldError id={`${id}-type-error`} message={problems.eventType} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-payload`}>{t('transform.run.payload')}</label>
        <textarea
          id={`${id}-payload`}
          dir="ltr"
          rows={5}
          value={payload}
          placeholder={t('transform.run.payloadPlaceholder')}
          onChange={(e) => setPayload(e.target.value)}
          aria-invalid={Boolean(problems.payload)}
          aria-describedby={describedBy(problems.payload, `${id}-payload-error`)}
        />
        <FieldError id={`${id}-payload-error`} message={problems.payload} />
      </div>
      <div className="actions">
        <button type="button" className="btn" disabled={simulate.isPending || !code.trim()} onClick={run}>
          {simulate.isPending ? t('transform.run.running') : t('transform.run.run')}
        </button>
      </div>
      {(problems.form || problems.code) && (
        <p className="error-state" role="alert">
          {problems.form ?? problems.code}
        </p>
      )}
      {result && <RunResult result={result} />}
    </section>
  );
}

function RunResult({ result }: { result: SimulateOut }) {
  const { t } = useI18n();
  if (result.canceled)
    return (
      <p role="status" className="test-result">
        {t('transform.run.canceled')}
      </p>
    );
  return (
    <div role="status" className="test-result">
      <dl className="facts">
        <div>
          <dt>{t('transform.run.method')}</dt>
          <dd>
            <code>{result.method ?? 'POST'}</code>
          </dd>
        </div>
        <div>
          <dt>{t('transform.run.url')}</dt>
          <dd>
            <code className="break">{result.url}</code>
          </dd>
        </div>
      </dl>
      <p className="field-label">{t('transform.run.body')}</p>
      <pre className="code small">{prettyJson(result.payload)}</pre>
    </div>
  );
}

/** The body as the endpoint would get it, indented when it is JSON. */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
