import { NotBuilt } from '../NotBuilt.tsx';
import type { PageProps } from '../pageProps.ts';

export default function ApplicationsPage(_props: PageProps) {
  return (
    <NotBuilt title="Applications">
      <p>Your applications, their endpoints and health, and “Open portal as this customer” will be here. Until then, use the API (/api/v1/app).</p>
    </NotBuilt>
  );
}
