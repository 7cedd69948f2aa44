/**
 * The console path of one event type. Names hold dots (`invoice.paid`), and the server serves a
 * path whose last segment has a dot as a file (a 404), so the dot is escaped: `invoice%2Epaid`
 * (the router decodes segments back).
 */
export function eventTypeHref(name: string): string {
  return `/event-catalog/${encodeURIComponent(name).replaceAll('.', '%2E')}`;
}
