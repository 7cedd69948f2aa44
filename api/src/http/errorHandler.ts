import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  HooklineError,
  NotFoundError,
  RateLimitedError,
  RefusedTargetError,
  TooManyAuthFailuresError,
  UnreadableSecretError,
  ValidationError,
} from '@hookline/core';
import { RequestValidationError } from './validate.ts';

/** Maps a known error to its status and body; the only place that knows HTTP statuses for them. */
function statusOf(err: HooklineError): number {
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof AuthenticationError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof BadRequestError) return 400;
  if (err instanceof RateLimitedError || err instanceof TooManyAuthFailuresError) return 429;
  // The stored value, not the request, is at fault; the caller can replace it (set the header, rotate the secret).
  if (err instanceof UnreadableSecretError) return 409;
  return 400;
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

export function errorHandler(): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof RequestValidationError) {
      res.status(422).json({ detail: err.detail });
      return;
    }
    if (err instanceof ValidationError) {
      if (err instanceof RefusedTargetError && err.logDetail) req.log.warn({ refused: err.logDetail }, 'endpoint URL refused by the SSRF guard');
      res.status(422).json({ detail: [{ loc: err.loc, msg: err.message, type: 'value_error' }] });
      return;
    }
    if (err instanceof HooklineError) {
      if (err instanceof RateLimitedError || err instanceof TooManyAuthFailuresError) res.setHeader('retry-after', String(err.retryAfterSeconds));
      // Altered or moved data (or a missing master key): the operator must hear of it, the caller only that it cannot be read.
      if (err instanceof UnreadableSecretError) req.log.error({ reason: err.cause instanceof Error ? err.cause.message : String(err.cause) }, 'stored secret unreadable');
      res.status(statusOf(err)).json({ code: err.code, detail: err.message });
      return;
    }
    // Errors raised by express.json() before a route runs.
    const parserError = err as BodyParserError;
    if (parserError.type === 'entity.too.large') {
      res.status(413).json({ code: 'payload_too_large', detail: 'Request body is too large' });
      return;
    }
    if (parserError.type === 'entity.parse.failed') {
      res.status(400).json({ code: 'invalid_json', detail: 'Request body is not valid JSON' });
      return;
    }
    // The router's URIError for a path that is not valid percent-encoding carries status 400.
    if (err instanceof URIError) {
      res.status(400).json({ code: 'bad_request', detail: 'Request path is not valid percent-encoding' });
      return;
    }
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      const detail = parserError.expose && err instanceof Error ? err.message : 'Bad request';
      res.status(parserError.status).json({ code: 'bad_request', detail });
      return;
    }
    req.log.error({ err }, 'unhandled error');
    res.status(500).json({ code: 'internal_error', detail: 'Internal server error' });
  };
}

export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json({ code: 'not_found', detail: 'No such route' });
};
