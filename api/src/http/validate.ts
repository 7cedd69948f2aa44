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

function issueType(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return 'value_error.missing';
  if (issue.code === 'invalid_type') return 'type_error';
  return 'value_error';
}

/** Parses one part of a request; `where` becomes the first element of each error's `loc`. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new RequestValidationError(result.error.issues.map((issue) => ({
    loc: [where, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    msg: issue.message,
    type: issueType(issue),
  })));
}
