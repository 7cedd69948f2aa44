/**
 * A structural check of a JSON Schema (draft 7, as Svix compiles event type schemas): each known
 * keyword must have the type the specification gives it, and subschemas are checked the same way.
 * It does not resolve `$ref`s or compile patterns into a validator; it catches what a schema
 * compiler would refuse outright (`{"readOnly": 15}`, `"type": "strnig"`, `"examples": {}`), so a
 * bad schema is a 422 when it is stored rather than a broken catalog later.
 */

export interface SchemaProblem {
  /** Path inside the schema, e.g. `["properties", "amount", "minimum"]`. */
  path: Array<string | number>;
  message: string;
}

const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
const BOOLEAN_KEYWORDS = ['readOnly', 'writeOnly', 'uniqueItems', 'deprecated'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];
const COUNT_KEYWORDS = ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'minContains', 'maxContains'];
const STRING_KEYWORDS = ['$id', '$schema', '$ref', '$comment', 'title', 'description', 'format', 'contentMediaType', 'contentEncoding'];
const SUBSCHEMA_KEYWORDS = [
  'additionalItems',
  'additionalProperties',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'not',
  'unevaluatedItems',
  'unevaluatedProperties',
];
const SUBSCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf'];
const SUBSCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Bounds on one schema version, enforced by the walk itself: a client's schema sets the walk's
 * recursion depth, and 9,000 levels of `{"not": …}` overflowed the stack (a 500) and held the
 * event loop. Real event schemas nest a dozen levels and hold a few hundred subschemas.
 */
export const SCHEMA_LIMITS = Object.freeze({
  /** Subschemas inside subschemas (`{"not": {"not": …}}` is two levels). */
  maxDepth: 64,
  /** Subschemas in one schema version, all counted. */
  maxNodes: 10_000,
});

interface Walk {
  out: SchemaProblem[];
  limit: number;
  nodes: number;
  /** Set when the node bound was passed: nothing after it is worth reporting. */
  stopped: boolean;
}

/** Compiling a pattern does not run it, so an untrusted one is safe to try. */
function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** `false` once walking further is pointless: a bound was passed or enough problems were found. */
function enter(walk: Walk, path: Array<string | number>, depth: number): boolean {
  if (walk.stopped || walk.out.length >= walk.limit) return false;
  walk.nodes += 1;
  if (walk.nodes > SCHEMA_LIMITS.maxNodes) {
    walk.out.push({ path: [], message: `a schema may hold at most ${SCHEMA_LIMITS.maxNodes} subschemas` });
    walk.stopped = true;
    return false;
  }
  if (depth > SCHEMA_LIMITS.maxDepth) {
    walk.out.push({ path, message: `subschemas may be nested at most ${SCHEMA_LIMITS.maxDepth} levels deep` });
    return false;
  }
  return true;
}

function check(schema: unknown, path: Array<string | number>, walk: Walk, depth: number): void {
  if (!enter(walk, path, depth)) return;
  const { out } = walk;
  // `true` and `false` are valid schemas wherever a subschema is allowed.
  if (typeof schema === 'boolean') return;
  if (!isObject(schema)) {
    out.push({ path, message: 'a schema must be an object or a boolean' });
    return;
  }
  const problem = (key: string | number, message: string, at: Array<string | number> = [...path, key]) => out.push({ path: at, message });
  const type = schema.type;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (types.length === 0 || !types.every((t) => typeof t === 'string' && TYPES.has(t))) {
      problem('type', `must be one of ${[...TYPES].join(', ')}, or an array of them`);
    }
  }
  for (const key of BOOLEAN_KEYWORDS) if (key in schema && typeof schema[key] !== 'boolean') problem(key, 'must be a boolean');
  for (const key of NUMBER_KEYWORDS) if (key in schema && typeof schema[key] !== 'number') problem(key, 'must be a number');
  for (const key of COUNT_KEYWORDS) {
    if (key in schema && !(Number.isInteger(schema[key]) && (schema[key] as number) >= 0)) problem(key, 'must be a non-negative integer');
  }
  for (const key of STRING_KEYWORDS) if (key in schema && typeof schema[key] !== 'string') problem(key, 'must be a string');
  if ('multipleOf' in schema && !(typeof schema.multipleOf === 'number' && schema.multipleOf > 0)) problem('multipleOf', 'must be a number above 0');
  if ('pattern' in schema) {
    if (typeof schema.pattern !== 'string') problem('pattern', 'must be a string');
    else if (!isRegExp(schema.pattern)) problem('pattern', 'must be a valid regular expression');
  }
  if ('required' in schema && !(Array.isArray(schema.required) && schema.required.every((r) => typeof r === 'string'))) {
    problem('required', 'must be an array of property names');
  }
  if ('enum' in schema && !Array.isArray(schema.enum)) problem('enum', 'must be an array');
  if ('examples' in schema && !Array.isArray(schema.examples)) problem('examples', 'must be an array');
  const sub = (value: unknown, at: Array<string | number>) => check(value, at, walk, depth + 1);
  for (const key of SUBSCHEMA_KEYWORDS) if (key in schema) sub(schema[key], [...path, key]);
  if ('items' in schema) {
    if (Array.isArray(schema.items)) schema.items.forEach((item, i) => sub(item, [...path, 'items', i]));
    else sub(schema.items, [...path, 'items']);
  }
  for (const key of SUBSCHEMA_LIST_KEYWORDS) {
    if (!(key in schema)) continue;
    const list = schema[key];
    if (!Array.isArray(list) || list.length === 0) problem(key, 'must be a non-empty array of schemas');
    else list.forEach((item, i) => sub(item, [...path, key, i]));
  }
  for (const key of SUBSCHEMA_MAP_KEYWORDS) {
    if (!(key in schema)) continue;
    const map = schema[key];
    if (!isObject(map)) problem(key, 'must be an object of schemas');
    else for (const [name, item] of Object.entries(map)) sub(item, [...path, key, name]);
  }
}

/** The problems of a schema, at most `limit` of them (none: it looks like a valid JSON Schema). */
export function jsonSchemaProblems(schema: unknown, limit = 20): SchemaProblem[] {
  const walk: Walk = { out: [], limit, nodes: 0, stopped: false };
  check(schema, [], walk, 0);
  return walk.out.slice(0, limit);
}
