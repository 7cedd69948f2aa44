import { z } from 'zod';

// An endpoint's payload filter: a MongoDB-like JSON condition on the message payload. Messages
// that do not match are not sent to the endpoint (fan-out records them as skipped).
//
//   {"type": "invoice.paid", "data.amount": {"$gte": 100}, "$or": [{"data.currency": "usd"}, {"data.currency": "eur"}]}
//
// - Keys of a filter are field paths (dots separate the segments; a segment that is an integer
//   indexes an array: `items.0.sku`) or `$or` / `$and`. Every key must hold (an implicit AND).
// - A path's condition is a scalar (implicit `$eq`), an object of operators (all must hold), or a
//   nested filter, read relative to that field: `{"data": {"amount": 5}}` is `{"data.amount": 5}`.
// - `$or` / `$and` hold a non-empty list of such objects, tested against the same value:
//   `{"$or": [{"a": 1}, {"b": 2}]}`, or on one field `{"amount": {"$or": [{"$lt": 0}, {"$gt": 100}]}}`.
// - `$eq` / `$neq`: the same type and value (a missing field equals nothing, so `$neq` matches it).
//   `$gt $gte $lt $lte`: numbers with numbers, strings with strings (code-unit order); any other
//   pairing, or a missing field, is false. `$in` / `$nin`: one of / none of a list of scalars.
//   `$exist`: whether the field is present (a field holding null is present). No coercion: `"5"`
//   is not `5`, and an array is never searched for a value.

/** Operators that test the value at a path. */
const COMPARISON_OPERATORS = ['$eq', '$neq', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exist'] as const;
/** Operators that combine filters. */
const LOGICAL_OPERATORS = ['$or', '$and'] as const;
type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** Bounds on a filter, so that storing and evaluating one stays cheap. */
export const PAYLOAD_FILTER_LIMITS = Object.freeze({
  /** Nesting of objects and lists in the filter's JSON. */
  maxDepth: 10,
  /** Field conditions, operators and list items, all counted. */
  maxNodes: 256,
  /** Length of the filter as JSON text. */
  maxBytes: 16_384,
});

/** A validated filter: a JSON object as described above. */
export type PayloadFilter = Record<string, unknown>;

/** Problems reported at most for one filter. */
const MAX_PROBLEMS = 20;

type Scalar = string | number | boolean | null;
type Path = Array<string | number>;

export interface FilterProblem {
  /** Where in the filter, e.g. `['data.amount', '$gte']`. */
  path: Path;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const isComparison = (key: string): key is ComparisonOperator => (COMPARISON_OPERATORS as readonly string[]).includes(key);
const isLogical = (key: string): boolean => (LOGICAL_OPERATORS as readonly string[]).includes(key);
/** An object of operators (`{"$gte": 1}`) rather than a nested filter: it holds a comparison operator. */
const isOperatorObject = (v: Record<string, unknown>): boolean => Object.keys(v).some(isComparison);

function fieldPathProblem(key: string): string | undefined {
  if (key.startsWith('$')) return `unknown operator ${key}; expected one of ${[...COMPARISON_OPERATORS, ...LOGICAL_OPERATORS].join(' ')}`;
  if (key.split('.').some((segment) => segment === '')) return 'a field path must not be empty or have an empty segment (e.g. "data..amount")';
  return undefined;
}

/**
 * Every problem with `filter` as a payload filter (none: it is valid), each at its place in the
 * filter. Checks the structure, operand types and the bounds in PAYLOAD_FILTER_LIMITS.
 */
export function findFilterProblems(filter: unknown): FilterProblem[] {
  const problems: FilterProblem[] = [];
  let nodes = 0;
  const report = (path: Path, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ path, message });
  };
  /** Counts one node and checks the depth; false when walking further is pointless. */
  const enter = (path: Path, depth: number): boolean => {
    nodes += 1;
    if (nodes > PAYLOAD_FILTER_LIMITS.maxNodes) {
      if (nodes === PAYLOAD_FILTER_LIMITS.maxNodes + 1) report([], `a filter may hold at most ${PAYLOAD_FILTER_LIMITS.maxNodes} conditions`);
      return false;
    }
    if (depth > PAYLOAD_FILTER_LIMITS.maxDepth) {
      report(path, `a filter may be nested at most ${PAYLOAD_FILTER_LIMITS.maxDepth} levels deep`);
      return false;
    }
    return true;
  };

  const walkFilter = (value: unknown, path: Path, depth: number, allowEmpty: boolean): void => {
    if (!isObject(value)) {
      report(path, 'expected an object of conditions');
      return;
    }
    const keys = Object.keys(value);
    if (keys.length === 0 && !allowEmpty) report(path, 'expected at least one condition');
    for (const key of keys) {
      const here = [...path, key];
      if (!enter(here, depth + 1)) return;
      if (isLogical(key)) walkLogical(value[key], here, depth + 1);
      else if (isComparison(key)) report(here, `${key} applies to a field: write {"<field>": {"${key}": ...}}`);
      else {
        const bad = fieldPathProblem(key);
        if (bad) report(here, bad);
        else walkCondition(value[key], here, depth + 1);
      }
    }
  };

  const walkLogical = (value: unknown, path: Path, depth: number): void => {
    if (!Array.isArray(value) || value.length === 0) {
      report(path, 'expected a non-empty list of objects of conditions');
      return;
    }
    value.forEach((item, i) => {
      if (!enter([...path, i], depth + 1)) return;
      if (isObject(item)) walkCondition(item, [...path, i], depth + 1);
      else report([...path, i], 'expected an object of conditions');
    });
  };

  const walkCondition = (value: unknown, path: Path, depth: number): void => {
    if (isScalar(value)) return;
    if (Array.isArray(value)) {
      report(path, 'a list cannot be matched directly; use {"$in": [...]} for one of several values');
      return;
    }
    if (!isObject(value)) {
      report(path, 'expected a string, number, boolean, null or an object of operators');
      return;
    }
    if (!isOperatorObject(value)) {
      walkFilter(value, path, depth, false);
      return;
    }
    for (const [op, operand] of Object.entries(value)) {
      const here = [...path, op];
      if (!enter(here, depth + 1)) return;
      if (isComparison(op)) walkOperand(op, operand, here, depth + 1);
      else if (isLogical(op)) report(here, `${op} cannot sit beside comparison operators; put them inside its list`);
      else if (op.startsWith('$')) report(here, fieldPathProblem(op) ?? 'unknown operator');
      else report(here, 'field conditions cannot be mixed with operators in one object');
    }
  };

  const walkOperand = (op: ComparisonOperator, operand: unknown, path: Path, depth: number): void => {
    switch (op) {
      case '$eq':
      case '$neq':
        if (!isScalar(operand)) report(path, `${op} expects a string, number, boolean or null`);
        return;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        if (typeof operand !== 'number' && typeof operand !== 'string') report(path, `${op} expects a number or a string`);
        return;
      case '$exist':
        if (typeof operand !== 'boolean') report(path, '$exist expects true or false');
        return;
      case '$in':
      case '$nin':
        if (!Array.isArray(operand)) {
          report(path, `${op} expects a list of strings, numbers, booleans or nulls`);
          return;
        }
        operand.forEach((item, i) => {
          if (!enter([...path, i], depth + 1)) return;
          if (!isScalar(item)) report([...path, i], `${op} expects a list of strings, numbers, booleans or nulls`);
        });
        return;
    }
  };

  walkFilter(filter, [], 0, true);
  // Only once the structure is known to be bounded (JSON.stringify recurses).
  if (problems.length === 0 && JSON.stringify(filter).length > PAYLOAD_FILTER_LIMITS.maxBytes) {
    report([], `a filter may be at most ${PAYLOAD_FILTER_LIMITS.maxBytes} characters of JSON`);
  }
  return problems;
}

/** An endpoint's `filter`: a payload filter (see findFilterProblems), checked strictly. */
export const payloadFilterSchema = z
  .record(z.string(), z.unknown(), { error: 'expected a JSON object of conditions' })
  .superRefine((filter, ctx) => {
    for (const problem of findFilterProblems(filter)) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  })
  .meta({
    id: 'PayloadFilter',
    description:
      'Only messages whose payload matches are sent to the endpoint (the others are logged as canceled). ' +
      'Field paths with dots; operators $eq $neq $gt $gte $lt $lte $in $nin $exist $or $and; a scalar means $eq.',
    examples: [{ 'data.amount': { $gte: 100 }, type: { $in: ['invoice.paid', 'invoice.created'] } }],
  });

// Evaluation. The filter was validated when stored; anything unexpected here simply does not match.

/** The value at a dotted path, or undefined when absent (JSON has no undefined, so it means "missing"). */
function valueAt(doc: unknown, path: string): unknown {
  let current = doc;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (isObject(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

const equals = (value: unknown, operand: unknown): boolean => isScalar(value) && value === operand;

function compare(value: unknown, operand: unknown, holds: (order: number) => boolean): boolean {
  if (typeof value === 'number' && typeof operand === 'number') return holds(value - operand);
  if (typeof value === 'string' && typeof operand === 'string') return holds(value < operand ? -1 : value > operand ? 1 : 0);
  return false;
}

function matchesOperator(op: string, operand: unknown, value: unknown): boolean {
  switch (op) {
    case '$eq':
      return equals(value, operand);
    case '$neq':
      return !equals(value, operand);
    case '$gt':
      return compare(value, operand, (o) => o > 0);
    case '$gte':
      return compare(value, operand, (o) => o >= 0);
    case '$lt':
      return compare(value, operand, (o) => o < 0);
    case '$lte':
      return compare(value, operand, (o) => o <= 0);
    case '$in':
      return Array.isArray(operand) && operand.some((item) => equals(value, item));
    case '$nin':
      return Array.isArray(operand) && !operand.some((item) => equals(value, item));
    case '$exist':
      return typeof operand === 'boolean' && (value !== undefined) === operand;
    default:
      return false;
  }
}

function matchesCondition(condition: unknown, value: unknown): boolean {
  if (isScalar(condition)) return equals(value, condition);
  if (!isObject(condition)) return false;
  if (!isOperatorObject(condition)) return matchesAt(condition, value);
  return Object.entries(condition).every(([op, operand]) => matchesOperator(op, operand, value));
}

/** Whether `doc` (a payload, or a value inside one for a nested filter) matches `filter`. */
function matchesAt(filter: Record<string, unknown>, doc: unknown): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$or' || key === '$and') {
      if (!Array.isArray(condition)) return false;
      const test = (item: unknown) => isObject(item) && matchesCondition(item, doc);
      return key === '$or' ? condition.some(test) : condition.every(test);
    }
    return !key.startsWith('$') && matchesCondition(condition, valueAt(doc, key));
  });
}

/** Whether a payload (parsed JSON) matches a filter; an empty filter matches every payload. */
export function matchesPayloadFilter(filter: PayloadFilter, payload: unknown): boolean {
  return matchesAt(filter, payload);
}

/**
 * Splits endpoints by their filter against a message's payload (JSON text): those without a filter
 * or whose filter matches, and those it leaves out. Without the payload (already expunged) nothing
 * can be tested, so every endpoint is kept, as if it had no filter.
 */
export function splitByPayloadFilter<T extends { filter: PayloadFilter | null }>(endpoints: readonly T[], payload: string | null): { matching: T[]; skipped: T[] } {
  const matching: T[] = [];
  const skipped: T[] = [];
  let parsed: { value: unknown } | undefined;
  for (const ep of endpoints) {
    if (ep.filter === null || payload === null) {
      matching.push(ep);
      continue;
    }
    parsed ??= { value: parseJson(payload) };
    (matchesPayloadFilter(ep.filter, parsed.value) ? matching : skipped).push(ep);
  }
  return { matching, skipped };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
