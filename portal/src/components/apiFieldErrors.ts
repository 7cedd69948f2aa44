import { ApiError } from '@hookline/ui';
import { english, type Translate } from '../i18n/translator.ts';

/** Field → message, plus `form` for what concerns no field of the form. */
export type FormErrors<F extends string> = Partial<Record<F | 'form', string>>;

/**
 * A failed save's problems keyed by the form field they concern: a 422's `loc` (`['body',
 * 'extraParams', 'audience']`) names the field by its first step after `body`; anything else
 * lands on the form as a whole, with its path so nothing is lost. `fallback` says what failed when
 * the error has no message of its own.
 */
export function apiFieldErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  t: Translate = english.t,
  fallback: string = t('form.error.saveFailed'),
): FormErrors<F> {
  if (!(error instanceof ApiError)) return { form: error instanceof Error ? error.message : fallback } as FormErrors<F>;
  if (typeof error.detail === 'string') return { form: error.detail } as FormErrors<F>;
  const out: FormErrors<F> = {};
  for (const issue of error.detail) {
    const key = String(issue.loc[0] === 'body' ? issue.loc[1] : issue.loc[0]);
    if ((fields as readonly string[]).includes(key)) out[key as F] ??= issue.msg;
    else out.form = [out.form, `${issue.loc.slice(1).join('.') || t('form.error.request')}: ${issue.msg}`].filter(Boolean).join(' ');
  }
  return out;
}
