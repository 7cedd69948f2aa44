import type { z } from 'zod';

export interface FieldError {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

/** A request whose body, query or path did not match its schema; answered with 422. */
export class RequestValidationError extends Error {
  readonly detail: FieldError[];
  constructor(detail: FieldError[]) {
    super('validation failed');
    this.detail = detail;
  }
}

/**
 * Deepest nesting accepted in request JSON. JSON.parse is iterative, but JSON.stringify (used to
 * store and to answer) recurses and overflows the stack a few thousand levels down.
 */
export const MAX_JSON_DEPTH = 128;

function issueType(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return 'value_error.missing';
  if (issue.code === 'invalid_type') return 'type_error';
  return 'value_error';
}

/** Why a string cannot be stored as it is (see unstorable), or undefined. */
function textProblem(text: string, loc: Array<string | number>, what: string): FieldError | undefined {
  if (text.includes('\u0000')) return { loc, msg: `${what}must not contain the NUL character (U+0000)`, type: 'value_error' };
  if (!text.isWellFormed()) return { loc, msg: `${what}must be valid Unicode (a lone surrogate such as \\ud800 is not)`, type: 'value_error' };
  return undefined;
}

/**
 * Finds what the schemas let through but PostgreSQL or JSON.stringify cannot handle: strings (or
 * object keys) with U+0000, which text and jsonb columns refuse, or with a lone UTF-16 surrogate
 * (`"\ud800"` in JSON), which jsonb refuses and text columns would silently turn into U+FFFD, and
 * nesting deeper than MAX_JSON_DEPTH. Fields named in
 * `opaque` (top-level keys whose content is kept as JSON text, such as a message payload) may
 * contain both; the depth limit applies to them too.
 */
function unstorable(value: unknown, opaque: readonly string[]): FieldError | undefined {
  const walk = (v: unknown, path: Array<string | number>, rawText: boolean): FieldError | undefined => {
    if (path.length > MAX_JSON_DEPTH) {
      return { loc: path, msg: `nesting is deeper than ${MAX_JSON_DEPTH} levels`, type: 'value_error' };
    }
    if (typeof v === 'string') {
      return rawText ? undefined : textProblem(v, path, '');
    }
    if (typeof v !== 'object' || v === null) return undefined;
    const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
    for (const [key, item] of entries) {
      const here = [...path, key];
      const allowed = rawText || (path.length === 0 && typeof key === 'string' && opaque.includes(key));
      const keyProblem = !allowed && typeof key === 'string' ? textProblem(key, here, 'keys ') : undefined;
      if (keyProblem) return keyProblem;
      const found = walk(item, here, allowed);
      if (found) return found;
    }
    return undefined;
  };
  return walk(value, [], false);
}

/** Parses one part of a request; `where` becomes the first element of each error's `loc`. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path', options: { opaque?: readonly string[] } = {}): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new RequestValidationError(
      result.error.issues.map((issue) => ({
        loc: [where, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
        msg: issue.message,
        type: issueType(issue),
      })),
    );
  }
  // Checked on what the schema kept, after it, so the usual field errors come first.
  const bad = unstorable(result.data, options.opaque ?? []);
  if (bad) throw new RequestValidationError([{ ...bad, loc: [where, ...bad.loc] }]);
  return result.data;
}
