/** The log filter controls' state. */
export interface LogFilters {
  /** '' means all event types. */
  eventType: string;
  /** '' all, 'success' (status 0), 'pending' (1, a retry is due) or 'fail' (2). */
  status: '' | 'success' | 'pending' | 'fail';
  /** '' all endpoints, or one endpoint's id: the app-wide log then lists that endpoint's deliveries. */
  endpoint: string;
  /** '' all channels. */
  channel: string;
  /** A preset window ending now, or 'custom' for from/to (datetime-local values, local time). */
  range: '1h' | '24h' | '7d' | '30d' | 'all' | 'custom';
  from: string;
  to: string;
}

export const defaultLogFilters: LogFilters = { eventType: '', status: '', endpoint: '', channel: '', range: '7d', from: '', to: '' };

/** The API's list query parameters (Svix names). */
export interface LogQuery {
  event_types?: string[];
  status?: number;
  channel?: string;
  after?: string;
  before?: string;
}

const RANGE_MS: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Turns the filter controls into the query of the message and attempt lists. */
export function buildLogQuery(filters: LogFilters, now: Date = new Date()): LogQuery {
  const query: LogQuery = {};
  if (filters.eventType) query.event_types = [filters.eventType];
  if (filters.status === 'success') query.status = 0;
  if (filters.status === 'pending') query.status = 1;
  if (filters.status === 'fail') query.status = 2;
  const channel = filters.channel.trim();
  if (channel) query.channel = channel;
  const span = RANGE_MS[filters.range];
  if (span !== undefined) {
    query.after = new Date(now.getTime() - span).toISOString();
  } else if (filters.range === 'custom') {
    const after = localToIso(filters.from);
    const before = localToIso(filters.to);
    if (after) query.after = after;
    if (before) query.before = before;
  }
  return query;
}
