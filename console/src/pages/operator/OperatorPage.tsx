import { useState } from 'react';
import { EmptyState, ErrorState, Loading, Panel } from '@hookline/ui';
import { useOperator } from '../../api/operator.tsx';
import { PageHeader } from '../../shell/PageHeader.tsx';
import type { PageProps } from '../pageProps.ts';
import { CreateTenant } from './CreateTenant.tsx';
import { TenantUsageTable } from './TenantUsageTable.tsx';
import { useTenantUsage } from './useOperatorTenants.ts';

const WINDOWS = [7, 30, 90] as const;

/** `/operator` (the operator token only; the shell asks for it): every tenant's usage, and a new tenant. */
export default function OperatorPage(_props: PageProps) {
  const { client } = useOperator();
  if (!client) return null;
  return (
    <>
      <PageHeader title="Operator" description="Every tenant of this Hookline with its usage, and new tenants." />
      <div className="stack">
        <CreateTenant client={client} />
        <TenantUsage client={client} />
      </div>
    </>
  );
}

function TenantUsage({ client }: { client: NonNullable<ReturnType<typeof useOperator>['client']> }) {
  const [days, setDays] = useState<number>(30);
  const usage = useTenantUsage(client, days);
  const tenants = usage.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Panel title="Tenants and usage">
      <p className="muted">
        Messages are counted per UTC day; storage is an estimate, the message history's size on disk split by each tenant's share of the messages kept.
      </p>
      <div className="filters">
        <div className="field narrow-field">
          <label htmlFor="usage-days">Messages over</label>
          <select id="usage-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {WINDOWS.map((d) => (
              <option key={d} value={d}>
                the last {d} days
              </option>
            ))}
          </select>
        </div>
      </div>
      {usage.isPending ? (
        <Loading what="tenants" />
      ) : usage.isError ? (
        <ErrorState error={usage.error} retry={() => void usage.refetch()} />
      ) : tenants.length === 0 ? (
        <EmptyState title="No tenants yet">
          <p>Create the first one above.</p>
        </EmptyState>
      ) : (
        <TenantUsageTable tenants={tenants} days={days} />
      )}
      {usage.hasNextPage && (
        <div className="actions pager">
          <button type="button" className="btn" disabled={usage.isFetchingNextPage} onClick={() => void usage.fetchNextPage()}>
            Show more tenants
          </button>
        </div>
      )}
    </Panel>
  );
}
