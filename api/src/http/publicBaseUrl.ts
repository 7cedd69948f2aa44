import type { Request } from 'express';
import type { Config } from '@hookline/core';

/**
 * The URL Hookline answers at, for the links it hands out (portal, invitations, single sign-on):
 * HOOKLINE_PUBLIC_URL when set, else the request's scheme and host and the path the router is
 * mounted at (`req.baseUrl`: empty standalone, e.g. `/webhooks` inside a host app).
 */
export const publicBaseUrl = (req: Request, config: Pick<Config, 'publicUrl'>): string =>
  (config.publicUrl ?? `${req.protocol}://${req.get('host')}${req.baseUrl}`).replace(/\/+$/, '');
