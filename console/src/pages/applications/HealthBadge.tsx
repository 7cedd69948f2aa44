import type { Health } from './useApplications.ts';

const HEALTH: Record<Health, { text: string; className: string }> = {
  healthy: { text: 'Healthy', className: 'badge badge-success' },
  degraded: { text: 'Degraded', className: 'badge badge-pending' },
  failing: { text: 'Failing', className: 'badge badge-fail' },
  disabled: { text: 'Disabled', className: 'badge badge-disabled' },
  noEndpoints: { text: 'No endpoints', className: 'badge' },
};

/** An application's health as the list's `include=stats` gives it. */
export function HealthBadge({ health }: { health: Health }) {
  const h = HEALTH[health];
  return <span className={h.className}>{h.text}</span>;
}
