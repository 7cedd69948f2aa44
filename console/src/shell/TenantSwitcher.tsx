import { useId } from 'react';
import { ErrorState } from '@hookline/ui';
import { useSwitchTenant, type Me } from '../api/me.ts';
import { rememberTenant } from '../auth/lastTenant.ts';
import { navigate } from '../routing/router.tsx';

/** The current tenant and your role in it; a chooser when you belong to several. Switching starts at the overview. */
export function TenantSwitcher({ me }: { me: Me }) {
  const id = useId();
  const switchTenant = useSwitchTenant();
  const current = me.tenants.find((t) => t.id === me.currentTenantId);
  if (me.tenants.length <= 1) {
    return current ? (
      <p className="tenant">
        <span className="tenant-name">{current.name}</span> <span className="badge">{current.role}</span>
      </p>
    ) : null;
  }
  return (
    <div className="tenant">
      <label htmlFor={id} className="sr-only">
        Tenant
      </label>
      <select
        id={id}
        className="tenant-select"
        value={me.currentTenantId ?? ''}
        disabled={switchTenant.isPending}
        onChange={(e) => {
          const tenantId = e.target.value;
          switchTenant.mutate(tenantId, {
            onSuccess: () => {
              rememberTenant(tenantId);
              navigate('/');
            },
          });
        }}
      >
        {me.tenants.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.role})
          </option>
        ))}
      </select>
      {switchTenant.isError && <ErrorState error={switchTenant.error} title="Could not switch." />}
    </div>
  );
}
