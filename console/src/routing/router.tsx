import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A small client-side router on the History API: the console's pages are paths under /console
// (the API serves index.html for any of them). Paths in the app are console-relative ('/team').

export const BASE = '/console';
const CHANGE = 'hookline:navigate';

/** The console-relative path of a location's pathname ('/console/team/x' → '/team/x'; '/console/' → '/'). */
export function consolePath(pathname: string): string {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const trimmed = rest.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The address of a console-relative path (with its query, if any). */
export function hrefOf(to: string): string {
  return to === '/' ? `${BASE}/` : `${BASE}${to}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

/** The current console-relative path; re-renders on navigation and on back/forward. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => consolePath(window.location.pathname));
}

/** The current query string's parameters (re-read on navigation). */
export function useSearchParams(): URLSearchParams {
  const search = useSyncExternalStore(subscribe, () => window.location.search);
  return new URLSearchParams(search);
}

// After a navigation, the new page's heading takes focus (screen readers announce it); a page
// loads lazily, so whoever renders the heading first takes the request (PageHeader, or the shell).
let focusRequested = false;

/** True once after each navigation: the caller should move focus to the new page's heading. */
export function takeFocusRequest(): boolean {
  const requested = focusRequested;
  focusRequested = false;
  return requested;
}

/** Goes to a console-relative path (`'/applications/app_1?tab=endpoints'`); `replace` keeps history short. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const href = hrefOf(to);
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  focusRequested = true;
  window.dispatchEvent(new Event(CHANGE));
  window.scrollTo?.(0, 0);
}

/** Splits a console-relative path into segments: '/applications/app_1' → ['applications', 'app_1']. */
export function segmentsOf(path: string): string[] {
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}

const plainClick = (e: MouseEvent<HTMLAnchorElement>) => e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey && !e.defaultPrevented;

/** A real link (works with the keyboard, middle-click and "open in new tab") that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  return (
    <a
      {...rest}
      href={hrefOf(to)}
      onClick={(e) => {
        onClick?.(e);
        if (!plainClick(e) || rest.target) return;
        e.preventDefault();
        navigate(to);
      }}
    />
  );
}
