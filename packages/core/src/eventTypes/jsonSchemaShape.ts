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
const SUBSCHEMA_KEYWORDS = ['additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'not', 'unevaluatedItems', 'unevaluatedProperties'];
const SUBSCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf'];
const SUBSCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compiling a pattern does not run it, so an untrusted one is safe to try. */
function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function check(schema: unknown, path: Array<string | number>, out: SchemaProblem[]): void {
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
  for (const key of SUBSCHEMA_KEYWORDS) if (key in schema) check(schema[key], [...path, key], out);
  if ('items' in schema) {
    if (Array.isArray(schema.items)) schema.items.forEach((item, i) => check(item, [...path, 'items', i], out));
    else check(schema.items, [...path, 'items'], out);
  }
  for (const key of SUBSCHEMA_LIST_KEYWORDS) {
    if (!(key in schema)) continue;
    const list = schema[key];
    if (!Array.isArray(list) || list.length === 0) problem(key, 'must be a non-empty array of schemas');
    else list.forEach((sub, i) => check(sub, [...path, key, i], out));
  }
  for (const key of SUBSCHEMA_MAP_KEYWORDS) {
    if (!(key in schema)) continue;
    const map = schema[key];
    if (!isObject(map)) problem(key, 'must be an object of schemas');
    else for (const [name, sub] of Object.entries(map)) check(sub, [...path, key, name], out);
  }
}

/** The problems of a schema, at most `limit` of them (none: it looks like a valid JSON Schema). */
export function jsonSchemaProblems(schema: unknown, limit = 20): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  check(schema, [], out);
  return out.slice(0, limit);
}
