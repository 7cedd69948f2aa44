import { useId, type FormEvent } from 'react';
import { Panel } from '@hookline/ui';
import type { Endpoint } from '../api/useEndpoints.ts';
import { useSaveDeliverySettings, type DeliverySettings } from '../api/useEndpointDeliverySettings.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { english, type Translate } from '../i18n/translator.ts';
import type { FormErrors } from './apiFieldErrors.ts';
import { FormField } from './FormField.tsx';
import { SaveActions, useSettingsForm } from './settingsFormState.tsx';

const FIELDS = ['retrySchedule', 'maxAttempts', 'timeoutMs'] as const;
type Field = (typeof FIELDS)[number];
export type DeliveryValues = Record<Field, string>;
// Example values in the placeholders: the same in every language.
const EXAMPLE_SCHEDULE = '10, 60, 600';

export function deliveryValuesOf(ep: Pick<Endpoint, 'retrySchedule' | 'maxAttempts' | 'timeoutMs'>): DeliveryValues {
  return {
    retrySchedule: ep.retrySchedule?.join(', ') ?? '',
    maxAttempts: ep.maxAttempts != null ? String(ep.maxAttempts) : '',
    timeoutMs: ep.timeoutMs != null ? String(ep.timeoutMs) : '',
  };
}

const wholeNumber = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : null);

/**
 * An empty field is the default (null). Only the shape is checked here; the bounds (which depend
 * on the installation's timeout) are the API's, whose 422 lands on the same field.
 */
export function parseDeliverySettings(v: DeliveryValues, t: Translate = english.t): { errors: FormErrors<Field>; body?: DeliverySettings } {
  const errors: FormErrors<Field> = {};
  let retrySchedule: number[] | null = null;
  if (v.retrySchedule.trim()) {
    const delays = v.retrySchedule.split(',').map(wholeNumber);
    if (delays.some((d) => d === null)) errors.retrySchedule = t('delivery.error.schedule');
    else retrySchedule = delays as number[];
  }
  const maxAttempts = v.maxAttempts.trim() ? wholeNumber(v.maxAttempts) : null;
  if (v.maxAttempts.trim() && maxAttempts === null) errors.maxAttempts = t('delivery.error.wholeNumber');
  const timeoutMs = v.timeoutMs.trim() ? wholeNumber(v.timeoutMs) : null;
  if (v.timeoutMs.trim() && timeoutMs === null) errors.timeoutMs = t('delivery.error.wholeNumber');
  if (Object.keys(errors).length) return { errors };
  return { errors, body: { retrySchedule, maxAttempts, timeoutMs } };
}

/** The endpoint's retry schedule, attempts and timeout: each empty stands for the default. */
export function DeliverySettingsForm({ endpoint }: { endpoint: Endpoint }) {
  const id = useId();
  const { t } = useI18n();
  const mutation = useSaveDeliverySettings(endpoint.id);
  const { values, set, errors, setErrors, busy, saved, save } = useSettingsForm(() => deliveryValuesOf(endpoint), FIELDS);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const checked = parseDeliverySettings(values, t);
    setErrors(checked.errors);
    const body = checked.body;
    if (body) await save(() => mutation.mutateAsync(body));
  }

  return (
    <Panel title={t('delivery.title')}>
      <p className="muted">{t('delivery.intro')}</p>
      <form className="form" noValidate aria-label={t('delivery.title')} onSubmit={(e) => void submit(e)}>
        {errors.form && (
          <p className="error-state" role="alert">
            {errors.form}
          </p>
        )}
        <FormField
          id={`${id}-retrySchedule`}
          label={t('delivery.retrySchedule')}
          value={values.retrySchedule}
          onChange={set('retrySchedule')}
          placeholder={EXAMPLE_SCHEDULE}
          hint={t('delivery.retryScheduleHint')}
          error={errors.retrySchedule}
        />
        <FormField
          id={`${id}-maxAttempts`}
          label={t('delivery.maxAttempts')}
          value={values.maxAttempts}
          onChange={set('maxAttempts')}
          inputMode="numeric"
          placeholder={t('delivery.default')}
          error={errors.maxAttempts}
        />
        <FormField
          id={`${id}-timeoutMs`}
          label={t('delivery.timeoutMs')}
          value={values.timeoutMs}
          onChange={set('timeoutMs')}
          inputMode="numeric"
          placeholder={t('delivery.default')}
          hint={t('delivery.timeoutHint')}
          error={errors.timeoutMs}
        />
        <SaveActions busy={busy} saved={saved} label={t('delivery.save')} savedText={t('delivery.saved')} />
      </form>
    </Panel>
  );
}
