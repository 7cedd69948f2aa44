import { useId, useState, type FormEvent } from 'react';
import type { EventType } from '../api/useEventTypes.ts';
import type { PollerIn } from '../api/usePollers.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { apiFieldErrors, type FormErrors } from './apiFieldErrors.ts';
import { FormField } from './FormField.tsx';

const FIELDS = ['uid', 'description', 'eventTypes', 'channels'] as const;
type Field = (typeof FIELDS)[number];
// Example values in the placeholders: the same in every language.
const EXAMPLE_UID = 'invoices';
const EXAMPLE_CHANNELS = 'project-1, eu';

/** The poller's body: no event type ticked and no channel mean "all" (null), as the API wants it. */
export function pollerBodyOf(v: { uid: string; description: string; eventTypes: string[]; channels: string }): PollerIn {
  const channels = v.channels
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return {
    uid: v.uid.trim() || null,
    description: v.description,
    eventTypes: v.eventTypes.length ? v.eventTypes : null,
    channels: channels.length ? channels : null,
  };
}

export function PollerForm({ eventTypes, onCreate }: { eventTypes: EventType[]; onCreate: (body: PollerIn) => Promise<unknown> }) {
  const id = useId();
  const { t } = useI18n();
  const empty = { uid: '', description: '', eventTypes: [] as string[], channels: '' };
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [busy, setBusy] = useState(false);
  const set = (field: 'uid' | 'description' | 'channels') => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setBusy(true);
    try {
      await onCreate(pollerBodyOf(values));
      setValues(empty);
    } catch (err) {
      setErrors(apiFieldErrors(err, FIELDS, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" noValidate aria-label={t('pollers.create')} onSubmit={(e) => void submit(e)}>
      {errors.form && (
        <p className="error-state" role="alert">
          {errors.form}
        </p>
      )}
      <FormField
        id={`${id}-uid`}
        label={t('pollers.uid')}
        value={values.uid}
        onChange={set('uid')}
        placeholder={EXAMPLE_UID}
        hint={t('pollers.uidHint')}
        error={errors.uid}
      />
      <FormField id={`${id}-description`} label={t('pollers.description')} value={values.description} onChange={set('description')} error={errors.description} />
      <fieldset className="field" aria-describedby={`${id}-eventTypes-hint${errors.eventTypes ? ` ${id}-eventTypes-error` : ''}`}>
        <legend>{t('pollers.eventTypes')}</legend>
        <p id={`${id}-eventTypes-hint`} className="hint">
          {t('pollers.eventTypesHint')}
        </p>
        <div className="checklist">
          {eventTypes.map((type) => (
            <div key={type.name} className="check">
              <input
                id={`${id}-et-${type.name}`}
                type="checkbox"
                checked={values.eventTypes.includes(type.name)}
                onChange={(e) => setValues((v) => ({ ...v, eventTypes: e.target.checked ? [...v.eventTypes, type.name] : v.eventTypes.filter((x) => x !== type.name) }))}
              />
              <label htmlFor={`${id}-et-${type.name}`}>
                <code>{type.name}</code>
              </label>
            </div>
          ))}
        </div>
        {errors.eventTypes && (
          <p id={`${id}-eventTypes-error`} className="field-error" role="alert">
            {errors.eventTypes}
          </p>
        )}
      </fieldset>
      <FormField
        id={`${id}-channels`}
        label={t('pollers.channels')}
        value={values.channels}
        onChange={set('channels')}
        placeholder={EXAMPLE_CHANNELS}
        hint={t('pollers.channelsHint')}
        error={errors.channels}
      />
      <div className="actions">
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? t('form.saving') : t('pollers.create')}
        </button>
      </div>
    </form>
  );
}
