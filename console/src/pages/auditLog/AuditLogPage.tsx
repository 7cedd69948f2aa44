import { NotBuilt } from '../NotBuilt.tsx';
import type { PageProps } from '../pageProps.ts';

export default function AuditLogPage(_props: PageProps) {
  return (
    <NotBuilt title="Audit log">
      <p>The filterable audit log, each record's detail and export will be here. Until then, use the API (/api/v1/audit-log).</p>
    </NotBuilt>
  );
}
