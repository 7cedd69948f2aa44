import { randomUUID } from 'node:crypto';
import type { Express, RequestHandler, Request } from 'express';
import type { Level, Logger } from 'pino';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own way to type what middleware adds to a request
  namespace Express {
    interface Request {
      /** The request's id: its `x-request-id` header when that is a plain token, else a new UUID. */
      id: string;
      /** A logger bound to `{ req: { id, method, path } }`, made when first used. */
      log: Logger;
    }
  }
}

const CHILD = Symbol('hookline.requestLogger');
const BASE = Symbol('hookline.logger');

type LoggingRequest = Request & { [CHILD]?: Logger; [BASE]: Logger };

/**
 * Request ids and request logs. Every response carries `x-request-id`; `req.log` is the request's
 * child logger; each response ends with a `request completed` line at info (`request errored` at
 * error for a 5xx), written when that level is on, with the publish's `msgId` when it made one.
 * The child is made on first use, so a quiet api makes none: one per request, logged or not, was a
 * visible share of a publish's CPU (docs/performance.md).
 */
export function requestLogging(app: Express, logger: Logger): RequestHandler {
  Object.defineProperty(app.request, BASE, { value: logger });
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: LoggingRequest): Logger {
      // Only the path: query strings and headers may carry credentials.
      return (this[CHILD] ??= logger.child({ req: { id: this.id, method: this.method, path: this.originalUrl.split('?')[0] } }));
    },
  });
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    req.id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', req.id);
    const started = Date.now();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const failed = res.statusCode >= 500;
      if (!logger.isLevelEnabled(failed ? 'error' : 'info')) return;
      const msgId = (res.locals as { msgId?: string }).msgId;
      req.log[failed ? 'error' : 'info'](
        { res: { statusCode: res.statusCode }, responseTime: Date.now() - started, ...(msgId ? { msgId } : {}) },
        failed ? 'request errored' : 'request completed',
      );
    };
    res.once('finish', end);
    res.once('close', end);
    next();
  };
}

/** Whether `req.log` writes at `level`; asking makes no child logger. */
export function requestLogs(req: Request, level: Level): boolean {
  return (req as LoggingRequest)[BASE].isLevelEnabled(level);
}
