import { NotBuilt } from '../NotBuilt.tsx';
import type { PageProps } from '../pageProps.ts';

export default function OperatorPage(_props: PageProps) {
  return (
    <NotBuilt title="Operator">
      <p>Tenants with their usage, creating a tenant and its first owner's invitation will be here. Until then, use the operator API (/admin/v1/tenants).</p>
    </NotBuilt>
  );
}
