import { useId, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';

/** Finds one message by its id or eventId; `active` is the search shown, '' for the filtered list. */
export function LogSearch({ active, onSearch }: { active: string; onSearch: (idOrEventId: string) => void }) {
  const id = useId();
  const { t } = useI18n();
  const [text, setText] = useState(active);
  return (
    <form
      role="search"
      className="inline-form log-search"
      aria-label={t('search.label')}
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim());
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-q`}>{t('search.field')}</label>
        <input id={`${id}-q`} type="search" value={text} placeholder={t('search.placeholder')} onChange={(e) => setText(e.target.value)} />
      </div>
      <button type="submit" className="btn" disabled={text.trim() === ''}>
        {t('search.submit')}
      </button>
      {active && (
        <button
          type="button"
          className="btn"
          onClick={() => {
            setText('');
            onSearch('');
          }}
        >
          {t('search.clear')}
        </button>
      )}
    </form>
  );
}
