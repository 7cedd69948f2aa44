import type { Schemas } from '@hookline/ui';
import { formatTime } from '@hookline/ui';

type TenantUsage = Schemas['TenantUsage'];

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (powers of 1024, as disk sizes are usually read). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

const count = (n: number) => n.toLocaleString('en');
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** Every tenant's usage, one row each; the messages per day open under the total. */
export function TenantUsageTable({ tenants, days }: { tenants: TenantUsage[]; days: number }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="sr-only">Tenants and their usage over the last {days} days</caption>
        <thead>
          <tr>
            <th scope="col">Tenant</th>
            <th scope="col">Applications</th>
            <th scope="col">Endpoints</th>
            <th scope="col">Messages ({days} days)</th>
            <th scope="col">Storage (estimate)</th>
          </tr>
        </thead>
        <tbody>
          {tenants.map((t) => (
            <tr key={t.id} data-tenant={t.id}>
              <td>
                <strong>{t.name}</strong>
                <div className="muted small">
                  <code>{t.id}</code> · created {formatTime(t.createdAt)}
                </div>
              </td>
              <td data-usage="applications">
                <span className="sr-only">Applications: </span>
                {count(t.applications)}
              </td>
              <td data-usage="endpoints">
                <span className="sr-only">Endpoints: </span>
                {count(t.endpoints)}
              </td>
              <td data-usage="messages">
                <span className="sr-only">Messages: </span>
                {count(t.messages.total)}
                <PerDay name={t.name} perDay={t.messages.perDay} />
              </td>
              <td data-usage="storage">
                <span className="sr-only">Storage: </span>
                {formatBytes(t.storage.bytesEstimate)} <span className="muted">({percent(t.storage.share)} of messages kept)</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The day-by-day counts behind a total, newest first (the API gives them oldest first). */
function PerDay({ name, perDay }: { name: string; perDay: TenantUsage['messages']['perDay'] }) {
  if (perDay.length === 0) return null;
  return (
    <details>
      <summary>
        Per day<span className="sr-only"> for {name}</span>
      </summary>
      <table className="table">
        <caption className="sr-only">Messages per day for {name}</caption>
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            <th scope="col">Messages</th>
          </tr>
        </thead>
        <tbody>
          {[...perDay].reverse().map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{count(d.messages)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
