import { useCallback, useEffect, useState } from 'react';

// Light, dark, or the system's choice (prefers-color-scheme). The choice is `data-theme` on the
// root element, which tokens.css reads; "system" removes it. Kept in localStorage (not a secret).

export type ThemeChoice = 'light' | 'dark' | 'system';

const KEY = 'hookline-theme';

export function storedTheme(storage: Pick<Storage, 'getItem'> = localStorage): ThemeChoice {
  const value = storage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Sets `data-theme` on the root element ('system' leaves the choice to prefers-color-scheme). */
export function applyThemeChoice(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

/** The current choice and a setter that applies and remembers it. */
export function useThemeChoice(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(() => storedTheme());
  useEffect(() => applyThemeChoice(choice), [choice]);
  const set = useCallback((next: ThemeChoice) => {
    if (next === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, next);
    setChoice(next);
  }, []);
  return [choice, set];
}

/** The choice after `choice` in a toggle that cycles system → light → dark. */
export function nextThemeChoice(choice: ThemeChoice): ThemeChoice {
  return choice === 'system' ? 'light' : choice === 'light' ? 'dark' : 'system';
}
