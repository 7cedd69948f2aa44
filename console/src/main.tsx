import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyThemeChoice, storedTheme } from '@hookline/ui';
import { App } from './App.tsx';
import '@hookline/ui/tokens.css';
import '@hookline/ui/components.css';
import './styles.css';

// The theme before the first paint (no inline script may do it: the CSP allows none).
applyThemeChoice(storedTheme());

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
