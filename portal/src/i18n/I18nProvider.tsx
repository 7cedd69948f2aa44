import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { UiTextContext, type UiText } from '@hookline/ui';
import { english, type Translator } from './translator.ts';

const I18nContext = createContext<Translator>(english);

/** The chosen language's words and formats. */
export const useI18n = (): Translator => useContext(I18nContext);

/** The shared components' words, from the portal's catalog. */
function uiTextOf({ t, language, number }: Translator): UiText {
  return {
    locale: language,
    // The portal passes a whole sentence ("Loading endpoints…"): articles and cases differ by language.
    loading: (sentence) => sentence,
    couldNotLoad: t('ui.couldNotLoad'),
    somethingWentWrong: t('ui.somethingWentWrong'),
    tryAgain: t('ui.tryAgain'),
    close: t('ui.close'),
    cancel: t('ui.cancel'),
    copy: t('ui.copy'),
    copied: t('ui.copied'),
    status: {
      success: t('status.success'),
      pending: t('status.pending'),
      fail: t('status.fail'),
      sending: t('status.sending'),
      canceled: t('status.canceled'),
      disabled: t('status.disabled'),
      enabled: t('status.enabled'),
    },
    barSummary: (label, success, fail) => t('ui.barSummary', { label, success: number(success), fail: number(fail) }),
  };
}

export function I18nProvider({ translator, children }: { translator: Translator; children: ReactNode }) {
  const ui = useMemo(() => uiTextOf(translator), [translator]);
  return (
    <I18nContext.Provider value={translator}>
      <UiTextContext.Provider value={ui}>{children}</UiTextContext.Provider>
    </I18nContext.Provider>
  );
}
