import { Svix } from 'svix';
import type { TestHookline } from './hookline.ts';

/** The official svix client, pointed at the Hookline under test. */
export function svixClient(h: TestHookline, apiKey: string): Svix {
  return new Svix(apiKey, { serverUrl: h.url });
}
