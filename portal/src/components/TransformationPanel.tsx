import { useId, useState } from 'react';
import { ErrorState, Loading, Panel, StatusBadge } from '@hookline/ui';
import { useCan } from '../api/apiContext.tsx';
import { useSaveTransformation, useTransformation, useTransformationTemplates, type Transformation, type TransformationTemplate } from '../api/useTransformation.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { CodeEditor } from './CodeEditor.tsx';
import { apiFieldErrors, type FormErrors } from './apiFieldErrors.ts';
import { describedBy, FieldError } from './fieldErrors.tsx';
import { TransformationRun } from './TransformationRun.tsx';

type Field = 'code' | 'enabled';

/** The API's template ids of the chat services; a template not listed keeps the API's (English) name. */
const TEMPLATE_SERVICES: Record<string, 'slack' | 'discord' | 'teams'> = { slack: 'slack', discord: 'discord', 'microsoft-teams': 'teams' };

/** The endpoint's transformation: shown only to a token that may manage transformations. */
export function TransformationPanel({ endpoint, subscribed }: { endpoint: string; subscribed: string[] | null }) {
  const { t } = useI18n();
  const canManage = useCan('ManageTransformations');
  const current = useTransformation(endpoint);
  const [open, setOpen] = useState(false);
  if (!canManage) return null;
  return (
    <Panel title={t('transform.title')}>
      <p className="muted">{t('transform.intro')}</p>
      {current.isPending && <Loading what={t('transform.loading')} />}
      {current.isError && <ErrorState error={current.error} retry={() => void current.refetch()} />}
      {current.data &&
        (open ? (
          <TransformationForm endpoint={endpoint} subscribed={subscribed} saved={current.data} />
        ) : (
          <div className="transform-summary">
            <StatusBadge status={current.data.enabled ? 'enabled' : 'disabled'} />
            <span className="muted">{current.data.code ? t('transform.hasCode') : t('transform.noCode')}</span>
            <button type="button" className="btn" onClick={() => setOpen(true)}>
              {t('transform.open')}
            </button>
          </div>
        ))}
    </Panel>
  );
}

function TransformationForm({ endpoint, subscribed, saved }: { endpoint: string; subscribed: string[] | null; saved: Transformation }) {
  const id = useId();
  const { t } = useI18n();
  const templates = useTransformationTemplates();
  const templateName = (tpl: TransformationTemplate) => {
    const service = TEMPLATE_SERVICES[tpl.id];
    return service ? t(`notices.service.${service}`) : tpl.name;
  };
  const save = useSaveTransformation(endpoint);
  const [code, setCode] = useState(saved.code ?? '');
  const [enabled, setEnabled] = useState(saved.enabled);
  const [chosen, setChosen] = useState<TransformationTemplate | null>(null);
  const [problems, setProblems] = useState<FormErrors<Field>>({});
  const [done, setDone] = useState(false);

  const submit = () => {
    setProblems({});
    setDone(false);
    // Empty code unsets the transformation; the API refuses enabling without code.
    save.mutate(
      { code: code.trim() ? code : null, enabled },
      { onSuccess: () => setDone(true), onError: (err) => setProblems(apiFieldErrors(err, ['code', 'enabled'], t, t('transform.saveFailed'))) },
    );
  };

  return (
    <>
      <form
        className="form"
        aria-label={t('transform.formLabel')}
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
        <fieldset className="field">
          <legend>{t('transform.templates')}</legend>
          <p className="hint">{t('transform.templatesHint')}</p>
          {templates.isError && <ErrorState error={templates.error} />}
          <div className="actions">
            {(templates.data?.data ?? []).map((tpl) => (
              <button
                key={tpl.id}
                type="button"
                className="btn"
                onClick={() => {
                  setCode(tpl.code);
                  setChosen(tpl);
                }}
              >
                {t('transform.useTemplate', { name: templateName(tpl) })}
              </button>
            ))}
          </div>
          {chosen && (
            <p className="hint" role="status">
              {chosen.instructions}
            </p>
          )}
        </fieldset>
        <div className="field">
          <span className="field-label">{t('transform.code')}</span>
          <p className="hint" id={`${id}-code-hint`}>
            {t('transform.codeHint')}
          </p>
          <CodeEditor
            value={code}
            onChange={setCode}
            label={t('transform.code')}
            description={[problems.code, t('transform.codeHint')].filter(Boolean).join(' ')}
            invalid={Boolean(problems.code)}
          />
          <FieldError id={`${id}-code-error`} message={problems.code} />
        </div>
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              checked={enabled}
              onChange={(e) => setEnabled(e.target.checked)}
              aria-invalid={Boolean(problems.enabled)}
              aria-describedby={describedBy(problems.enabled, `${id}-enabled-error`)}
            />
            <span>{t('transform.enabled')}</span>
          </label>
          <FieldError id={`${id}-enabled-error`} message={problems.enabled} />
        </div>
        <div className="actions">
          <button type="submit" className="btn primary" disabled={save.isPending}>
            {save.isPending ? t('transform.saving') : t('transform.save')}
          </button>
          {done && (
            <span role="status" className="muted">
              {t('transform.saved')}
            </span>
          )}
        </div>
      </form>
      <TransformationRun endpoint={endpoint} subscribed={subscribed} code={code} />
    </>
  );
}
