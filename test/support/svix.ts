import { expect } from 'vitest';
import { ApiException, Svix } from 'svix';
import type { TestHookline } from './hookline.ts';

/** The official svix client, pointed at the Hookline under test. */
export function svixClient(h: TestHookline, apiKey: string): Svix {
  return new Svix(apiKey, { serverUrl: h.url });
}

/** The client's error for a call that must fail (`code` is the HTTP status, `body` Hookline's `{code, detail}`). */
export async function apiError(call: Promise<unknown>): Promise<ApiException<{ code?: string; detail?: unknown }>> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiException);
  return err as ApiException<{ code?: string; detail?: unknown }>;
}
