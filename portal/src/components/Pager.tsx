import { useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';

/** Pages back through a list with its iterators. */
export function usePager() {
  const [stack, setStack] = useState<string[]>([]);
  return {
    iterator: stack[stack.length - 1],
    page: stack.length + 1,
    next: (it: string) => setStack((s) => [...s, it]),
    prev: () => setStack((s) => s.slice(0, -1)),
    reset: () => setStack([]),
  };
}

export function Pager({ pager, nextIterator, done }: { pager: ReturnType<typeof usePager>; nextIterator: string | null | undefined; done: boolean }) {
  const { t } = useI18n();
  if (pager.page === 1 && (done || !nextIterator)) return null;
  return (
    <div className="actions pager">
      <button type="button" className="btn small" disabled={pager.page === 1} onClick={pager.prev}>
        {t('logs.newer')}
      </button>
      <span className="muted small">{t('logs.page', { page: pager.page })}</span>
      <button type="button" className="btn small" disabled={done || !nextIterator} onClick={() => nextIterator && pager.next(nextIterator)}>
        {t('logs.older')}
      </button>
    </div>
  );
}
