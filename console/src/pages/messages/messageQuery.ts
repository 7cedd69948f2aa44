// The Messages page's filters live in the address (?event_type=…&payload=…), so a search can be
// shared, reloaded and undone with Back; this module turns them into GET /api/v1/messages' query.

export interface MessageFilters {
  msgId: string;
  eventId: string;
  eventType: string;
  channel: string;
  tag: string;
  /** An application id ('' for all). */
  app: string;
  /** '' all, or a delivery status: '0' success, '1' pending, '2' fail, '3' sending, '4' canceled. */
  status: string;
  /** datetime-local values (the person's local time). */
  after: string;
  before: string;
  /** The JSON text of an object, as typed. */
  payload: string;
}

export const FILTER_KEYS: Record<keyof MessageFilters, string> = {
  msgId: 'msg_id',
  eventId: 'event_id',
  eventType: 'event_type',
  channel: 'channel',
  tag: 'tag',
  app: 'app',
  status: 'status',
  after: 'after',
  before: 'before',
  payload: 'payload',
};

const FIELDS = Object.keys(FILTER_KEYS) as (keyof MessageFilters)[];

export const emptyFilters: MessageFilters = { msgId: '', eventId: '', eventType: '', channel: '', tag: '', app: '', status: '', after: '', before: '', payload: '' };

export function filtersFromParams(params: URLSearchParams): MessageFilters {
  const out = { ...emptyFilters };
  for (const key of FIELDS) out[key] = params.get(FILTER_KEYS[key]) ?? '';
  return out;
}

/** The query string of the filters that are set ('' when none). */
export function paramsOfFilters(filters: MessageFilters): string {
  const params = new URLSearchParams();
  for (const key of FIELDS) {
    const value = filters[key].trim();
    if (value) params.set(FILTER_KEYS[key], value);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Why the typed payload text cannot be searched for, or null when it can (or is empty). */
export function payloadProblem(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    return `Not valid JSON: ${error instanceof Error ? error.message : 'cannot be read'}.`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'Enter a JSON object, such as {"invoiceId": "in_42"}.';
  return null;
}

/** The ISO time of a datetime-local value (local time), or undefined when empty or unreadable. */
function timeOf(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export interface SearchQuery {
  msg_id?: string;
  event_id?: string;
  event_types?: string[];
  channel?: string;
  tag?: string;
  app?: string;
  status?: number;
  after?: string;
  before?: string;
  payload_contains?: string;
}

/** The API's query for the filters; a payload that is not a JSON object is left to the form to refuse. */
export function searchQueryOf(filters: MessageFilters): SearchQuery {
  const f = { ...filters };
  for (const key of FIELDS) f[key] = f[key].trim();
  const query: SearchQuery = {};
  if (f.msgId) query.msg_id = f.msgId;
  if (f.eventId) query.event_id = f.eventId;
  if (f.eventType) query.event_types = [f.eventType];
  if (f.channel) query.channel = f.channel;
  if (f.tag) query.tag = f.tag;
  if (f.app) query.app = f.app;
  if (/^[0-4]$/.test(f.status)) query.status = Number(f.status);
  const after = timeOf(f.after);
  const before = timeOf(f.before);
  if (after) query.after = after;
  if (before) query.before = before;
  if (f.payload && payloadProblem(f.payload) === null) query.payload_contains = JSON.stringify(JSON.parse(f.payload));
  return query;
}

export function hasFilters(filters: MessageFilters): boolean {
  return FIELDS.some((key) => filters[key].trim() !== '');
}
