import {
  AliasNode,
  AndNode,
  BinaryOperationNode,
  ColumnNode,
  IdentifierNode,
  OnNode,
  OperationNodeTransformer,
  OperatorNode,
  ParensNode,
  ReferenceNode,
  TableNode,
  ValueNode,
  WhereNode,
  type DeleteQueryNode,
  type InsertQueryNode,
  type JoinNode,
  type KyselyPlugin,
  type MergeQueryNode,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RawNode,
  type RootOperationNode,
  SelectQueryNode,
  type UnknownRow,
  type UpdateQueryNode,
} from 'kysely';
import type { Database } from './connect.ts';

// The single chokepoint of tenant isolation. PostgreSQL row-level security does not bind the
// superuser Hookline usually connects as, so the same rule is enforced here instead: a database
// handle scoped to a tenant adds `<table or alias>.tenant_id = $tenant` to every SELECT, UPDATE
// and DELETE that reads a tenant-owned table (FROM, JOIN, USING, subqueries, CTEs), and refuses an
// INSERT into one whose tenant_id is another tenant's, missing, or not a plain value. A query that
// forgets its tenant filter therefore sees nothing of another tenant.
//
// What it cannot see: the text of raw `sql` templates. Raw fragments that name a tenant-owned
// table after FROM/JOIN/UPDATE/INTO/USING are refused (fail closed); expression fragments such as
// `version + 1` pass. Queries a library sends precompiled (pg-boss's `fromKysely` adapter) bypass
// every plugin: they touch only pg-boss's own schema.

/** Tables that carry a tenant_id column (see schema.ts), by their SQL (snake_case) name. */
export const TENANT_TABLES: ReadonlySet<string> = new Set([
  'api_key',
  'audit_log',
  'application',
  'event_type',
  'endpoint',
  'endpoint_secret',
  'endpoint_auth',
  'endpoint_mtls',
  'deleted_endpoint',
  'integration',
  'notification_setting',
  'endpoint_notice_state',
  'endpoint_transformation',
  'message',
  'message_event_id',
  'message_delivery',
  'message_attempt',
  'idempotency_key',
  'background_task',
  'api_rate_limit',
  'portal_rate_limit',
  'portal_token_logout',
  'delivery_stat',
  'delivery_status_count',
  'tenant_message_count',
  'membership',
  'invite',
  'tenant_sso',
  'poller',
  'poller_consumer',
]);

/**
 * Tables with a tenant_id column that the scope leaves alone: only workers read them, unscoped,
 * and rows are written by raw statements that copy tenant_id from a row of a scoped table in the
 * same statement (fanout_pending: see fanOutRepo.pendingFanOutOf).
 */
export const WORKER_ONLY_TENANT_TABLES: ReadonlySet<string> = new Set(['fanout_pending']);

/** The tenant table itself is scoped by its primary key. */
const TENANT_COLUMN: Readonly<Record<string, string>> = { tenant: 'id' };
const columnOf = (table: string): string | undefined => TENANT_COLUMN[table] ?? (TENANT_TABLES.has(table) ? 'tenant_id' : undefined);

/** Thrown for a statement the scope cannot make safe; it never reaches the database. */
export class TenantScopeError extends Error {}

// Works before or after CamelCasePlugin: names are compared in snake_case, and the emitted
// `tenant_id` is left unchanged by it.
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A scoped table of a FROM/JOIN/UPDATE/DELETE item: how to refer to it, and its tenant column. */
function scopedTarget(node: OperationNode): { ref: string; column: string } | undefined {
  const table = AliasNode.is(node) ? node.node : node;
  if (!TableNode.is(table)) return undefined; // a subquery or function: scoped where it is built
  const column = columnOf(snake(table.table.identifier.name));
  if (!column) return undefined;
  const alias = AliasNode.is(node) && IdentifierNode.is(node.alias) ? node.alias.name : undefined;
  return { ref: alias ?? table.table.identifier.name, column };
}

const joinAnd = (existing: OperationNode | undefined, conditions: OperationNode[]): OperationNode | undefined => {
  // The existing condition goes in parentheses: it may be a bare `a OR b`.
  const parts = existing ? [...conditions, ParensNode.create(existing)] : conditions;
  return parts.reduce<OperationNode | undefined>((acc, c) => (acc ? AndNode.create(acc, c) : c), undefined);
};

const RAW_TABLE = /\b(?:from|join|update|into|using)\s+(?:only\s+)?"?([A-Za-z_][\w]*)"?(?:\s*\.\s*"?([A-Za-z_][\w]*)"?)?/gi;

class TenantScopeTransformer extends OperationNodeTransformer {
  readonly #tenantId: string;

  constructor(tenantId: string) {
    super();
    this.#tenantId = tenantId;
  }

  #condition(target: { ref: string; column: string }): OperationNode {
    return BinaryOperationNode.create(
      ReferenceNode.create(ColumnNode.create(target.column), TableNode.create(target.ref)),
      OperatorNode.create('='),
      ValueNode.create(this.#tenantId),
    );
  }

  #conditions(items: ReadonlyArray<OperationNode> | undefined): OperationNode[] {
    return (items ?? []).flatMap((item) => {
      const target = scopedTarget(item);
      return target ? [this.#condition(target)] : [];
    });
  }

  /** Scopes each joined table in its ON clause, so an outer join keeps its meaning (a foreign row reads as absent). */
  #scopeJoins(joins: ReadonlyArray<JoinNode> | undefined, where: OperationNode[]): JoinNode[] | undefined {
    return joins?.map((join) => {
      const target = scopedTarget(join.table);
      if (!target) return join;
      if (!join.on) {
        where.push(this.#condition(target)); // a cross join filters like a FROM item
        return join;
      }
      return { ...join, on: OnNode.create(joinAnd(join.on.on, [this.#condition(target)])!) };
    });
  }

  #where(where: WhereNode | undefined, conditions: OperationNode[]): WhereNode | undefined {
    const combined = joinAnd(where?.where, conditions);
    return combined ? WhereNode.create(combined) : undefined;
  }

  protected override transformSelectQuery(node: SelectQueryNode, queryId?: QueryId): SelectQueryNode {
    const out = super.transformSelectQuery(node, queryId);
    const conditions = this.#conditions(out.from?.froms);
    const joins = this.#scopeJoins(out.joins, conditions);
    return { ...out, joins, where: this.#where(out.where, conditions) };
  }

  protected override transformUpdateQuery(node: UpdateQueryNode, queryId?: QueryId): UpdateQueryNode {
    const out = super.transformUpdateQuery(node, queryId);
    const conditions = [...this.#conditions(out.table ? [out.table] : []), ...this.#conditions(out.from?.froms)];
    const joins = this.#scopeJoins(out.joins, conditions);
    return { ...out, joins, where: this.#where(out.where, conditions) };
  }

  protected override transformDeleteQuery(node: DeleteQueryNode, queryId?: QueryId): DeleteQueryNode {
    const out = super.transformDeleteQuery(node, queryId);
    const conditions = [...this.#conditions(out.from.froms), ...this.#conditions(out.using?.tables)];
    const joins = this.#scopeJoins(out.joins, conditions);
    return { ...out, joins, where: this.#where(out.where, conditions) };
  }

  protected override transformInsertQuery(node: InsertQueryNode, queryId?: QueryId): InsertQueryNode {
    const out = super.transformInsertQuery(node, queryId);
    const target = out.into ? scopedTarget(out.into) : undefined;
    if (!target) return out;
    this.#checkInsertedTenant(out, target.column);
    // ON CONFLICT DO UPDATE may only update a row of this tenant (the conflicting row is addressed by the table name).
    if (!out.onConflict?.updates) return out;
    const scoped = joinAnd(out.onConflict.updateWhere?.where, [this.#condition(target)])!;
    return { ...out, onConflict: { ...out.onConflict, updateWhere: WhereNode.create(scoped) } };
  }

  /** Every inserted row must carry this tenant's id as a plain value; anything else cannot be checked and is refused. */
  #checkInsertedTenant(node: InsertQueryNode, column: string): void {
    const index = (node.columns ?? []).findIndex((c) => snake(c.column.name) === column);
    const table = node.into!.table.identifier.name;
    if (index < 0) throw new TenantScopeError(`Insert into ${table} without ${column} in a tenant-scoped query`);
    const values = node.values;
    if (values && SelectQueryNode.is(values)) {
      // INSERT … SELECT (a conditional insert): the tenant column must be selected as a plain value.
      // The SELECT's own tables are scoped like any other.
      const item = values.selections?.[index]?.selection;
      const cell = item && AliasNode.is(item) ? item.node : item;
      if (!cell || !ValueNode.is(cell) || cell.value !== this.#tenantId) throw new TenantScopeError(`Insert into ${table} for another tenant refused`);
      return;
    }
    if (!values || values.kind !== 'ValuesNode') throw new TenantScopeError(`Insert into ${table} from a query is not allowed in a tenant-scoped query`);
    for (const row of (values as unknown as { values: ReadonlyArray<OperationNode & { values: ReadonlyArray<unknown> }> }).values) {
      const cell = row.values[index];
      const value = row.kind === 'PrimitiveValueListNode' ? cell : ValueNode.is(cell as OperationNode) ? (cell as ValueNode).value : cell;
      if (value !== this.#tenantId) throw new TenantScopeError(`Insert into ${table} for another tenant refused`);
    }
  }

  protected override transformMergeQuery(node: MergeQueryNode, queryId?: QueryId): MergeQueryNode {
    const into = scopedTarget(node.into);
    if (into) throw new TenantScopeError('MERGE into a tenant-owned table is not supported in a tenant-scoped query');
    return super.transformMergeQuery(node, queryId);
  }

  protected override transformRaw(node: RawNode, queryId?: QueryId): RawNode {
    const text = node.sqlFragments.join(' ? ');
    for (const match of text.matchAll(RAW_TABLE)) {
      const name = snake(match[2] ?? match[1]!);
      if (columnOf(name)) throw new TenantScopeError(`Raw SQL naming the tenant-owned table ${name} cannot be scoped; build it with the query builder`);
    }
    return super.transformRaw(node, queryId);
  }
}

/** The Kysely plugin that confines every query to one tenant (see the top of this file). */
export class TenantScopePlugin implements KyselyPlugin {
  readonly #transformer: TenantScopeTransformer;
  readonly tenantId: string;

  constructor(tenantId: string) {
    if (!tenantId) throw new TenantScopeError('A tenant scope needs a tenant id');
    this.tenantId = tenantId;
    this.#transformer = new TenantScopeTransformer(tenantId);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** A handle on the same pool whose every query (transactions included) is confined to `tenantId`. */
export function scopeToTenant(db: Database, tenantId: string): Database {
  return db.withPlugin(new TenantScopePlugin(tenantId));
}

/** The tenant a handle is scoped to (see scopeToTenant), or undefined for an unscoped one. */
export function tenantScopeOf(db: Database): string | undefined {
  return db.getExecutor().plugins.find((p): p is TenantScopePlugin => p instanceof TenantScopePlugin)?.tenantId;
}
