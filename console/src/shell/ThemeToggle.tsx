import { nextThemeChoice, useThemeChoice, type ThemeChoice } from '@hookline/ui';

const LABEL: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** Cycles the theme system → light → dark; says the current one, and what a press does. */
export function ThemeToggle() {
  const [choice, setChoice] = useThemeChoice();
  const next = nextThemeChoice(choice);
  return (
    <button
      type="button"
      className="btn ghost small theme-toggle"
      onClick={() => setChoice(next)}
      aria-label={`Theme: ${LABEL[choice]}. Switch to ${LABEL[next]}`}
      title={`Switch to ${LABEL[next].toLowerCase()} theme`}
    >
      <span aria-hidden="true">{ICON[choice]}</span> <span className="theme-name">{LABEL[choice]}</span>
    </button>
  );
}
