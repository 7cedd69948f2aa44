import { CompiledQuery, type Compilable } from 'kysely';
import type { Database } from './connect.ts';
import { TenantScopeError, tenantScopeOf } from './tenantScope.ts';

// Building a Kysely query, running its plugins (camel case, the tenant scope) and compiling it
// costs the api more CPU than PostgreSQL spends running publish's statement. Its SQL text is the
// same every time, only the values differ: a template builds it once, with a marker for each value,
// and every run substitutes the values for the markers in the compiled parameters.

const MARK = '\u0000hookline-value:';
/** The value that is the tenant on a tenant-scoped handle. */
const TENANT_KEY = 'tenantId';
type Slot = { key: string } | { tenant: true } | { value: unknown };

export class StatementTemplate<A extends Record<string, unknown>, R> {
  readonly #keys: ReadonlyArray<keyof A & string>;
  readonly #build: (db: Database, values: A) => Compilable<R>;
  /** By scope: built on a tenant-scoped handle (its tenant's slots found by value) or not. */
  readonly #compiled = new Map<'scoped' | 'unscoped', { sql: string; slots: Slot[] }>();

  /**
   * `build` must pass each value to Kysely as one parameter (not a literal, not spread into a list);
   * a value that does not come back as a whole parameter fails the first run.
   */
  constructor(keys: ReadonlyArray<keyof A & string>, build: (db: Database, values: A) => Compilable<R>) {
    this.#keys = keys;
    this.#build = build;
  }

  async executeTakeFirst(db: Database, values: A): Promise<R | undefined> {
    return (await this.execute(db, values))[0];
  }

  async execute(db: Database, values: A): Promise<R[]> {
    const tenant = tenantScopeOf(db);
    // What the scope refuses of a built query (a row of another tenant), a template refuses too.
    if (tenant !== undefined && TENANT_KEY in values && values[TENANT_KEY] !== tenant) throw new TenantScopeError("tenantId is not the scope's tenant");
    const { sql, slots } = this.#compile(db, tenant);
    const parameters = slots.map((s) => ('key' in s ? values[s.key] : 'tenant' in s ? tenant : s.value));
    return (await db.executeQuery<R>(CompiledQuery.raw(sql, parameters))).rows;
  }

  #compile(db: Database, tenant: string | undefined): { sql: string; slots: Slot[] } {
    const scope = tenant === undefined ? 'unscoped' : 'scoped';
    let compiled = this.#compiled.get(scope);
    if (compiled) return compiled;
    // On a scoped handle the tenant's own id goes in (the scope refuses any other); its slots are found by value.
    const markers = Object.fromEntries(this.#keys.map((k) => [k, k === TENANT_KEY && tenant !== undefined ? tenant : `${MARK}${k}`])) as unknown as A;
    const query = this.#build(db, markers).compile();
    // The tenant scope adds its tenant id as a parameter: tenant ids never equal a constant of a statement.
    const slots = query.parameters.map((p): Slot => {
      if (typeof p === 'string' && p.startsWith(MARK)) return { key: p.slice(MARK.length) };
      if (tenant !== undefined && p === tenant) return { tenant: true };
      return { value: p };
    });
    const missing = this.#keys.filter((k) => !(k === TENANT_KEY && tenant !== undefined) && !slots.some((s) => 'key' in s && s.key === k));
    if (missing.length > 0) throw new Error(`statement template: ${missing.join(', ')} did not compile to parameters`);
    compiled = { sql: query.sql, slots };
    this.#compiled.set(scope, compiled);
    return compiled;
  }
}
