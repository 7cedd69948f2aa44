import { sql, type Kysely } from 'kysely';
import { NEW_ID } from './0029_publish_in_transaction.ts';
import { replaceOnce, rewritePublish } from './0038_fanout_wake_when_asleep.ts';

// What hookline.publish costs beside the vendor's own INSERT (docs/performance.md, scenario 10).
// hookline.new_id (0029) made its base-62 digits in a PL/pgSQL loop over a numeric (41 rounds)
// and two UUIDs per id; the same ids now come from a few numeric divisions into three bigints of
// ten digits each, and the 14 random bytes from one UUID. hookline.publish turned the payload into
// text four times and ran two queries a usual publish does not need; now once, and only when needed.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Ten base-62 digits fit a bigint; the 160-bit id is three such groups. */
const GROUP = 62n ** 10n;

/** `count` base-62 digits of the bigint `value`, most significant first, in one expression. */
function digitsOf(value: string, count: number): string {
  const alphabet = `'\\x${Buffer.from(ALPHABET).toString('hex')}'::bytea`;
  return Array.from({ length: count }, (_, i) => `chr(get_byte(${alphabet}, (${value} / ${62n ** BigInt(count - 1 - i)} % 62)::int))`).join('\n      || ');
}

const TENANT_CHECK = `IF NOT EXISTS (SELECT 1 FROM tenant t WHERE t.id = publish.tenant_id) THEN
        RAISE EXCEPTION 'tenant "%" not found', publish.tenant_id USING ERRCODE = 'HL404';
      END IF;`;

/** hookline.publish's statements before and after; down applies them backwards. */
const PUBLISH_EDITS: ReadonlyArray<readonly [string, string]> = [
  [
    "app_in jsonb := o -> 'application';",
    "app_in jsonb := o -> 'application';\n      -- The payload's JSON text, made once for the checks and the message row.\n      payload_text text := payload::text;",
  ],
  // The options' keys are a query: not run for the usual empty options.
  ['FOR k IN SELECT jsonb_object_keys(o) LOOP', "IF o <> '{}' THEN FOR k IN SELECT jsonb_object_keys(o) LOOP"],
  ['END LOOP;\n      IF event_type IS NULL', 'END LOOP; END IF;\n      IF event_type IS NULL'],
  ['IF octet_length(payload::text) > cfg.max_payload_bytes', 'IF octet_length(payload_text) > cfg.max_payload_bytes'],
  ["(HOOKLINE_MAX_BODY_BYTES)', octet_length(payload::text)", "(HOOKLINE_MAX_BODY_BYTES)', octet_length(payload_text)"],
  ["length(payload::text) - length(translate(payload::text, '{[', ''))", "octet_length(payload_text) - octet_length(replace(replace(payload_text, '{', ''), '[', ''))"],
  ["nullif(chans, '{}'), payload::text, now_at", "nullif(chans, '{}'), payload_text, now_at"],
  // The tenant is looked up only where its absence matters: before an idempotency key is claimed
  // for it, and when no application of it is found (an application's tenant exists: a foreign key).
  [`${TENANT_CHECK}\n`, '-- (the tenant is checked with the idempotency key, or when the application is not found)\n'],
  ["req_text := 'POST /api/v1/app/' || app || '/msg';", `${TENANT_CHECK}\n        req_text := 'POST /api/v1/app/' || app || '/msg';`],
  ['IF application_id IS NULL THEN\n', `IF application_id IS NULL THEN\n        ${TENANT_CHECK}\n`],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- ksuid of packages/core/src/ids.ts for the time made_at and the 16 bytes of a version 4 UUID,
    -- of which it takes the 14 random ones (not 6 and 8, which hold the version and the variant).
    -- Without a SET search_path (it costs every call): it names only pg_catalog's functions.
    CREATE FUNCTION hookline.ksuid_of(made_at timestamptz, uuid bytea) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $fn$
    DECLARE
      ms bigint := floor(extract(epoch FROM made_at) * 1000);
      n numeric := (greatest(0, div(ms, 1000) - 1400000000) * 65536 + mod(ms, 1000))::numeric * ${sql.raw(String(2n ** 112n))}
        + ('x' || encode(substring(uuid FROM 1 FOR 6) || substring(uuid FROM 8 FOR 1), 'hex'))::bit(56)::bigint::numeric * ${sql.raw(String(2n ** 56n))}
        + ('x' || encode(substring(uuid FROM 10 FOR 7), 'hex'))::bit(56)::bigint;
      upper numeric := div(n, ${sql.raw(String(GROUP))});
      -- The 27 digits: 7, 10 and 10 (an id past 2150 keeps its last 27, as before).
      high bigint := mod(div(upper, ${sql.raw(String(GROUP))}), ${sql.raw(String(62n ** 7n))});
      middle bigint := mod(upper, ${sql.raw(String(GROUP))});
      low bigint := mod(n, ${sql.raw(String(GROUP))});
    BEGIN
      RETURN ${sql.raw(digitsOf('high', 7))}
      || ${sql.raw(digitsOf('middle', 10))}
      || ${sql.raw(digitsOf('low', 10))};
    END $fn$;
    REVOKE ALL ON FUNCTION hookline.ksuid_of(timestamptz, bytea) FROM PUBLIC;

    -- A SQL-standard body is bound when created (no search_path to hijack) and, without a SET,
    -- is inlined into the statement that calls it.
    CREATE OR REPLACE FUNCTION hookline.new_id(prefix text, made_at timestamptz) RETURNS text LANGUAGE sql VOLATILE
      RETURN prefix || '_' || hookline.ksuid_of(made_at, uuid_send(gen_random_uuid()));
    REVOKE ALL ON FUNCTION hookline.new_id(text, timestamptz) FROM PUBLIC;
  `.execute(db);
  await rewritePublish(db, (def) => PUBLISH_EDITS.reduce((text, [from, to]) => replaceOnce(text, from, to), def));
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await rewritePublish(db, (def) => PUBLISH_EDITS.reduceRight((text, [from, to]) => replaceOnce(text, to, from), def));
  await sql.raw(NEW_ID.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION')).execute(db);
  await sql`
    ALTER FUNCTION hookline.new_id(text, timestamptz) SET search_path = pg_catalog, hookline, pg_temp;
    DROP FUNCTION hookline.ksuid_of(timestamptz, bytea);
  `.execute(db);
}
