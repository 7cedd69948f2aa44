/**
 * Takes a token with `prefix` from the address's fragment (`/console/invite#hki_…`) and removes it
 * from the address bar, so it is not bookmarked, shared or kept in history; null when absent.
 * The fragment never reaches a server log.
 */
export function takeFragmentToken(prefix: string, location: Location = window.location): string | null {
  const fragment = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (!fragment.startsWith(prefix)) return null;
  window.history.replaceState(null, '', location.pathname + location.search);
  return fragment;
}
