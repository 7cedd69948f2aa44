import { NotBuilt } from '../NotBuilt.tsx';
import type { PageProps } from '../pageProps.ts';

export default function ApiKeysPage(_props: PageProps) {
  return (
    <NotBuilt title="API keys">
      <p>Creating, rotating and revoking API keys will be here. Until then, use the API (/console/v1/api-keys).</p>
    </NotBuilt>
  );
}
