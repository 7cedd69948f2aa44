import type pg from 'pg';

// Every object of Hookline (tables, partitions, functions, the migration table) lives in schema
// `hookline`, so it can share a vendor's database (issue 22) without meeting the vendor's own
// `messages` or `applications` in `public`. Hookline's SQL names its tables unqualified: each of
// its connections puts `hookline` alone on its search_path, and new SQL needs nothing more.

/** The schema of Hookline's objects; pg-boss keeps its own (BOSS_SCHEMA). */
export const HOOKLINE_SCHEMA = 'hookline';

/** The startup option that makes a connection of Hookline's own find its tables (no round trip: set at connect). */
export const SEARCH_PATH_OPTION = `-c search_path=${HOOKLINE_SCHEMA}`;

/** The connection fields this module reads and writes. */
interface OptionsCarrier {
  connectionString?: string | undefined;
  options?: string | undefined;
}

/**
 * `settings` with Hookline's search_path added to its startup options, after any the URL's
 * `?options=` or the settings already carry (pg lets the URL's override the field, so they are
 * merged into the field). Idempotent.
 */
export function withHooklineSearchPath<T extends OptionsCarrier>(settings: T): T {
  let { connectionString } = settings;
  let urlOptions: string | undefined;
  if (connectionString !== undefined) {
    const url = parseUrl(connectionString);
    const found = url?.searchParams.get('options');
    if (url && found !== null && found !== undefined) {
      urlOptions = found;
      url.searchParams.delete('options');
      connectionString = url.toString();
    }
  }
  const parts = [settings.options, urlOptions].filter((p): p is string => p !== undefined && p.trim() !== '');
  if (!parts.some((p) => p.trim().endsWith(SEARCH_PATH_OPTION))) parts.push(SEARCH_PATH_OPTION);
  const merged = { ...settings, options: parts.join(' ') };
  return connectionString === undefined ? merged : { ...merged, connectionString };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

// A host's pool (library mode) keeps the host's search_path. A client Hookline checks out of it
// gets `hookline` for as long as Hookline holds it, and the host's own path back on release: one
// round trip each way (measured in docs/architecture.md), and the host's sessions never see ours.
const ENTER = `SHOW search_path; SET search_path TO ${HOOKLINE_SCHEMA}`;
const LEAVE = "SELECT set_config('search_path', $1, false)";

/** A client of `pool`, with Hookline's search_path until it is released. */
export async function checkOutWithHooklinePath(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  let prior: string;
  try {
    // Two statements in one simple query: one round trip.
    const results = (await client.query(ENTER)) as unknown as Array<pg.QueryResult<{ search_path: string }>>;
    prior = results[0]!.rows[0]!.search_path;
  } catch (err) {
    client.release(err instanceof Error ? err : true);
    throw err;
  }
  const release = client.release.bind(client);
  client.release = (err?: Error | boolean) => {
    // A client that failed is destroyed by the pool: nothing to give back.
    if (err) return release(err);
    client.query(LEAVE, [prior]).then(
      () => release(),
      (e: unknown) => release(e instanceof Error ? e : true),
    );
  };
  return client;
}
