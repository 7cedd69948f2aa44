import { useMutation } from '@tanstack/react-query';
import { useConsoleApi } from '../../api/apiContext.tsx';

/**
 * "Open portal as this customer": a portal link for the application (the API audits it), opened in
 * a new tab. `open()` opens the tab in the click itself, because browsers block a window opened
 * later from a promise; the tab gets the URL once the API answers, or closes on an error. `data`
 * is the URL when the browser blocked the tab anyway, so the page can offer it as a link.
 */
export function usePortalAccess(appId: string) {
  const client = useConsoleApi();
  const mutation = useMutation({
    mutationFn: async (tab: Window | null) => {
      try {
        const { url } = await client.request('post', '/api/v1/auth/app-portal-access/{app}', { path: { app: appId }, body: {} });
        if (!tab) return url;
        tab.location.href = url;
        return null;
      } catch (error) {
        tab?.close();
        throw error;
      }
    },
  });
  const open = () => {
    const tab = window.open('', '_blank');
    // The portal must not reach back into the console.
    if (tab) tab.opener = null;
    mutation.mutate(tab);
  };
  return { open, isPending: mutation.isPending, error: mutation.error, blockedUrl: mutation.data ?? null };
}
