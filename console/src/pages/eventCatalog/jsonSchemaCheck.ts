// A small JSON Schema check for the editor's live feedback (no validator is a dependency of the
// console). It mirrors the API's structural check of a schema (core's jsonSchemaShape) on the
// common keywords, and validates examples on the keywords event schemas use; the API stays the
// authority on save, and its 422 is shown on the field too.

export interface Problem {
  /** Where: `/properties/amount/type` in a schema, `/amount` in an example ('' for the root). */
  at: string;
  message: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const TYPES = ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'];
const SUBSCHEMA = ['additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'not'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs'];
const COUNTS = ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'];
const NUMBERS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'];
const STRINGS = ['$id', '$schema', '$ref', '$comment', 'title', 'description', 'format'];
const MAX_PROBLEMS = 10;

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** What makes `schema` not a JSON Schema (none: it looks like one). */
export function schemaProblems(schema: unknown): Problem[] {
  const out: Problem[] = [];
  const walk = (node: unknown, at: string, depth: number): void => {
    if (out.length >= MAX_PROBLEMS || typeof node === 'boolean') return;
    if (depth > 64) return void out.push({ at, message: 'is nested too deeply' });
    if (!isObject(node)) return void out.push({ at, message: 'a schema must be an object or a boolean' });
    const problem = (key: string, message: string) => out.push({ at: `${at}/${key}`, message });
    if ('type' in node) {
      const types: unknown[] = Array.isArray(node.type) ? node.type : [node.type];
      if (types.length === 0 || !types.every((t) => typeof t === 'string' && TYPES.includes(t)))
        problem('type', `must be one of ${TYPES.join(', ')}, or an array of them`);
    }
    for (const key of COUNTS) if (key in node && !(Number.isInteger(node[key]) && (node[key] as number) >= 0)) problem(key, 'must be a non-negative integer');
    for (const key of NUMBERS) if (key in node && typeof node[key] !== 'number') problem(key, 'must be a number');
    for (const key of STRINGS) if (key in node && typeof node[key] !== 'string') problem(key, 'must be a string');
    if ('pattern' in node && !(typeof node.pattern === 'string' && isRegExp(node.pattern))) problem('pattern', 'must be a valid regular expression');
    if ('required' in node && !(Array.isArray(node.required) && node.required.every((r) => typeof r === 'string')))
      problem('required', 'must be an array of property names');
    if ('enum' in node && !Array.isArray(node.enum)) problem('enum', 'must be an array');
    if ('examples' in node && !Array.isArray(node.examples)) problem('examples', 'must be an array');
    for (const key of SUBSCHEMA) if (key in node) walk(node[key], `${at}/${key}`, depth + 1);
    if ('items' in node) {
      if (Array.isArray(node.items)) node.items.forEach((item, i) => walk(item, `${at}/items/${i}`, depth + 1));
      else walk(node.items, `${at}/items`, depth + 1);
    }
    for (const key of SUBSCHEMA_LISTS) {
      if (!(key in node)) continue;
      const list = node[key];
      if (!Array.isArray(list) || list.length === 0) problem(key, 'must be a non-empty array of schemas');
      else list.forEach((item, i) => walk(item, `${at}/${key}/${i}`, depth + 1));
    }
    for (const key of SUBSCHEMA_MAPS) {
      if (!(key in node)) continue;
      const map = node[key];
      if (!isObject(map)) problem(key, 'must be an object of schemas');
      else for (const [name, item] of Object.entries(map)) walk(item, `${at}/${key}/${name}`, depth + 1);
    }
  };
  walk(schema, '', 0);
  return out;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const matchesType = (value: unknown, type: string) => typeOf(value) === type || (type === 'number' && typeOf(value) === 'integer');
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Where `value` breaks `schema`: type, enum/const, required, properties, additionalProperties,
 * items, lengths, bounds, pattern, allOf/anyOf/oneOf/not. `$ref` and `format` are not followed
 * (the API does not check examples either, so this only ever warns early).
 */
export function valueProblems(value: unknown, schema: unknown): Problem[] {
  const out: Problem[] = [];
  const check = (v: unknown, s: unknown, at: string): void => {
    if (out.length >= MAX_PROBLEMS) return;
    if (s === false) return void out.push({ at, message: 'is not allowed here' });
    if (!isObject(s)) return;
    const problem = (message: string) => out.push({ at, message });
    if (s.type !== undefined) {
      const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === 'string');
      if (!types.some((t) => matchesType(v, t))) return void problem(`must be ${types.join(' or ')} (is ${typeOf(v)})`);
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => same(e, v))) problem(`must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
    if ('const' in s && !same(s.const, v)) problem(`must be ${JSON.stringify(s.const)}`);
    if (typeof v === 'string') {
      if (typeof s.minLength === 'number' && v.length < s.minLength) problem(`must be at least ${s.minLength} characters`);
      if (typeof s.maxLength === 'number' && v.length > s.maxLength) problem(`must be at most ${s.maxLength} characters`);
      if (typeof s.pattern === 'string' && isRegExp(s.pattern) && !new RegExp(s.pattern, 'u').test(v)) problem(`must match ${s.pattern}`);
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) problem(`must be at least ${s.minimum}`);
      if (typeof s.maximum === 'number' && v > s.maximum) problem(`must be at most ${s.maximum}`);
      if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) problem(`must be above ${s.exclusiveMinimum}`);
      if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum) problem(`must be below ${s.exclusiveMaximum}`);
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) problem(`must hold at least ${s.minItems} items`);
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) problem(`must hold at most ${s.maxItems} items`);
      if (Array.isArray(s.items)) s.items.forEach((item, i) => i < v.length && check(v[i], item, `${at}/${i}`));
      else if (s.items !== undefined) v.forEach((item, i) => check(item, s.items, `${at}/${i}`));
    }
    if (isObject(v)) {
      if (Array.isArray(s.required)) for (const key of s.required) if (typeof key === 'string' && !(key in v)) out.push({ at: `${at}/${key}`, message: 'is required' });
      const properties = isObject(s.properties) ? s.properties : {};
      for (const [key, item] of Object.entries(v)) {
        if (key in properties) check(item, properties[key], `${at}/${key}`);
        else if (s.additionalProperties === false) out.push({ at: `${at}/${key}`, message: 'is not a property the schema allows' });
        else if (isObject(s.additionalProperties)) check(item, s.additionalProperties, `${at}/${key}`);
      }
    }
    if (Array.isArray(s.allOf)) for (const sub of s.allOf) check(v, sub, at);
    if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => valueProblems(v, sub).length === 0)) problem('must match at least one schema of anyOf');
    if (Array.isArray(s.oneOf) && s.oneOf.filter((sub) => valueProblems(v, sub).length === 0).length !== 1) problem('must match exactly one schema of oneOf');
    if ('not' in s && valueProblems(v, s.not).length === 0) problem('must not match the schema under not');
  };
  check(value, schema, '');
  return out;
}

/** JSON.parse of `text`, or its error; a message naming a position (`… in JSON at position 22`) also gets its line and column. */
export function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message);
    if (!position) return { error: message };
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return { error: `${message.replace(/\s*\(line \d+ column \d+\)/, '')} (line ${line}, column ${column})` };
  }
}
