import { createContext, useContext } from 'react';

export type Status = 'success' | 'pending' | 'fail' | 'sending' | 'canceled' | 'disabled' | 'enabled';

/**
 * The words the shared components show. English by default, so the console needs nothing; the
 * portal provides its chosen language's through UiTextContext.
 */
export interface UiText {
  /** BCP 47 tag for numbers and dates; undefined: the browser's. */
  locale: string | undefined;
  loading: (what: string) => string;
  couldNotLoad: string;
  somethingWentWrong: string;
  tryAgain: string;
  close: string;
  cancel: string;
  copy: string;
  copied: string;
  status: Record<Status, string>;
  /** The chart's text for one bar (title and screen-reader summary). */
  barSummary: (label: string, success: number, fail: number) => string;
}

export const englishUiText: UiText = {
  locale: undefined,
  loading: (what) => `Loading ${what}…`,
  couldNotLoad: 'Could not load this.',
  somethingWentWrong: 'Something went wrong.',
  tryAgain: 'Try again',
  close: 'Close',
  cancel: 'Cancel',
  copy: 'Copy',
  copied: 'Copied',
  status: { success: 'Succeeded', pending: 'Pending', fail: 'Failed', sending: 'Sending', canceled: 'Canceled', disabled: 'Disabled', enabled: 'Enabled' },
  barSummary: (label, success, fail) => `${label}: ${success} succeeded, ${fail} failed`,
};

export const UiTextContext = createContext<UiText>(englishUiText);

export const useUiText = (): UiText => useContext(UiTextContext);
