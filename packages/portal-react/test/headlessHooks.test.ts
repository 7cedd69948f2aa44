import { closeDom } from './happyDomGlobals.ts';
import { act, cleanup, configure, renderHook, waitFor } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '@hookline/test-support/receiver';
import { startTestHookline, type TestHookline } from '@hookline/test-support/hookline';
import {
  HooklineError,
  HooklineProvider,
  useEndpoint,
  useEndpointFunctions,
  useEndpointMessageAttempts,
  useEndpoints,
  useEndpointSecret,
  useEndpointStats,
  useEventTypes,
  useMessageAttempts,
  useMessages,
  useNewEndpoint,
} from '../src/index.ts';

// The hooks, rendered in a happy-dom document, against a real Hookline (api + worker, embedded
// PostgreSQL) on loopback.

// Answers from a real server on a shared, loaded machine can take longer than waitFor's default second.
configure({ asyncUtilTimeout: 10_000 });

let h: TestHookline;
let receiver: Receiver;
let auth: { authorization: string };
let appId: string;
let token: string;
let readOnlyToken: string;
const seeded: string[] = [];

beforeAll(async () => {
  [h, receiver] = await Promise.all([startTestHookline(), startReceiver()]);
  const { apiKey } = await h.createTenant();
  auth = { authorization: `Bearer ${apiKey}` };
  await h.http.post('/api/v1/event-type').set(auth).send({ name: 'invoice.paid', description: 'Paid' }).expect(201);
  appId = (await h.http.post('/api/v1/app').set(auth).send({ name: 'Acme', uid: 'acme' }).expect(201)).body.id;
  for (let i = 0; i < 5; i++) {
    seeded.push(
      (
        await h.http
          .post(`/api/v1/app/${appId}/endpoint`)
          .set(auth)
          .send({ url: `${receiver.url}/seed/${i}` })
          .expect(201)
      ).body.id,
    );
  }
  token = (await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send({}).expect(200)).body.token;
  readOnlyToken = (await h.http.post('/api/v1/auth/app-portal-access/acme').set(auth).send({ readOnly: true }).expect(200)).body.token;
});
afterEach(cleanup);
afterAll(async () => {
  await h?.stop();
  await receiver?.close();
  await closeDom();
});

function wrapperFor(portalToken: string) {
  return ({ children }: { children: ReactNode }) => createElement(HooklineProvider, { token: portalToken, appId, serverUrl: h.url, children });
}
const ids = (items: { id: string }[] | undefined) => items?.map((x) => x.id);

describe('useEndpoints', () => {
  it('pages forward and back by the API iterators', async () => {
    const { result } = renderHook(() => useEndpoints({ limit: 2, order: 'ascending' }), { wrapper: wrapperFor(token) });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(ids(result.current.data)).toEqual(seeded.slice(0, 2));
    expect(result.current).toMatchObject({ hasPrevPage: false, hasNextPage: true, error: undefined, iterator: undefined });

    act(() => result.current.nextPage());
    await waitFor(() => expect(ids(result.current.data)).toEqual(seeded.slice(2, 4)));
    expect(result.current).toMatchObject({ hasPrevPage: true, hasNextPage: true, loading: false });

    act(() => result.current.nextPage());
    await waitFor(() => expect(ids(result.current.data)).toEqual(seeded.slice(4)));
    expect(result.current).toMatchObject({ hasPrevPage: true, hasNextPage: false });
    // At the end, nextPage does nothing.
    act(() => result.current.nextPage());
    expect(ids(result.current.data)).toEqual(seeded.slice(4));

    act(() => result.current.prevPage());
    await waitFor(() => expect(ids(result.current.data)).toEqual(seeded.slice(2, 4)));
    act(() => result.current.prevPage());
    await waitFor(() => expect(ids(result.current.data)).toEqual(seeded.slice(0, 2)));
    expect(result.current.hasPrevPage).toBe(false);
  });

  it('starts again at the first page when the options change', async () => {
    const { result, rerender } = renderHook(({ order }: { order: 'ascending' | 'descending' }) => useEndpoints({ limit: 2, order }), {
      wrapper: wrapperFor(token),
      initialProps: { order: 'ascending' },
    });
    await waitFor(() => expect(result.current.hasNextPage).toBe(true));
    act(() => result.current.nextPage());
    await waitFor(() => expect(ids(result.current.data)).toEqual(seeded.slice(2, 4)));
    rerender({ order: 'descending' });
    await waitFor(() => expect(ids(result.current.data)).toEqual([seeded[4], seeded[3]]));
    expect(result.current.hasPrevPage).toBe(false);
  });
});

describe('mutations', () => {
  it('reloads the list after create and delete, and on reload() after a change made elsewhere', async () => {
    const { result } = renderHook(
      () => {
        const list = useEndpoints({ limit: 250 });
        const { createEndpoint } = useNewEndpoint();
        return { list, createEndpoint };
      },
      { wrapper: wrapperFor(token) },
    );
    await waitFor(() => expect(result.current.list.data).toHaveLength(5));

    let created = '';
    await act(async () => {
      created = (await result.current.createEndpoint({ url: `${receiver.url}/new`, description: 'from the hooks' })).id;
    });
    await waitFor(() => expect(ids(result.current.list.data)).toContain(created));

    const fns = renderHook(() => useEndpointFunctions(created), { wrapper: wrapperFor(token) });
    const one = renderHook(() => useEndpoint(created), { wrapper: wrapperFor(token) });
    await waitFor(() => expect(one.result.current.data?.description).toBe('from the hooks'));
    await act(async () => {
      await fns.result.current.patchEndpoint({ disabled: true });
    });
    // Another provider's hooks are not told: reload() fetches again.
    act(() => one.result.current.reload());
    await waitFor(() => expect(one.result.current.data?.disabled).toBe(true));

    await act(async () => {
      await fns.result.current.deleteEndpoint();
    });
    act(() => result.current.list.reload());
    await waitFor(() => expect(ids(result.current.list.data)).not.toContain(created));

    // A change made outside the hooks shows after reload().
    const outside = (
      await h.http
        .post(`/api/v1/app/${appId}/endpoint`)
        .set(auth)
        .send({ url: `${receiver.url}/outside` })
        .expect(201)
    ).body.id;
    act(() => result.current.list.reload());
    await waitFor(() => expect(ids(result.current.list.data)).toContain(outside));
    await h.http.delete(`/api/v1/app/${appId}/endpoint/${outside}`).set(auth).expect(204);
  });

  it('reloads the list in the same provider after a delete, without reload()', async () => {
    const extra = (
      await h.http
        .post(`/api/v1/app/${appId}/endpoint`)
        .set(auth)
        .send({ url: `${receiver.url}/extra` })
        .expect(201)
    ).body.id;
    const { result } = renderHook(() => ({ list: useEndpoints({ limit: 250 }), fns: useEndpointFunctions(extra) }), { wrapper: wrapperFor(token) });
    await waitFor(() => expect(ids(result.current.list.data)).toContain(extra));
    await act(async () => {
      await result.current.fns.deleteEndpoint();
    });
    await waitFor(() => expect(ids(result.current.list.data)).not.toContain(extra));
  });

  it('gets and rotates the signing secret', async () => {
    const { result } = renderHook(() => ({ secret: useEndpointSecret(seeded[0]!), fns: useEndpointFunctions(seeded[0]!) }), { wrapper: wrapperFor(token) });
    await waitFor(() => expect(result.current.secret.data?.key).toMatch(/^whsec_/));
    const before = result.current.secret.data!.key;
    await act(async () => {
      await result.current.fns.rotateSecret({ gracePeriodSeconds: 0 });
    });
    await waitFor(() => expect(result.current.secret.data?.key).not.toBe(before));
    expect(result.current.secret.data?.key).toMatch(/^whsec_/);
  });

  it('does not load the secret while given null', async () => {
    const { result } = renderHook(() => useEndpointSecret(null), { wrapper: wrapperFor(token) });
    expect(result.current).toMatchObject({ data: undefined, loading: false, error: undefined });
  });
});

describe('errors', () => {
  it('surfaces the API error as {status, code, detail}', async () => {
    const { result } = renderHook(() => useEndpoint('ep_does_not_exist'), { wrapper: wrapperFor(token) });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.data).toBeUndefined();
    expect(result.current.error).toBeInstanceOf(HooklineError);
    expect(result.current.error).toMatchObject({ status: 404, code: 'not_found', detail: expect.any(String) });
  });

  it('reports what the token does not allow as 403 forbidden', async () => {
    const { result } = renderHook(() => ({ secret: useEndpointSecret(seeded[0]!), create: useNewEndpoint() }), { wrapper: wrapperFor(readOnlyToken) });
    await waitFor(() => expect(result.current.secret.error).toMatchObject({ status: 403, code: 'forbidden' }));
    await expect(result.current.create.createEndpoint({ url: `${receiver.url}/ro` })).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('rejects a mutation with the 422 problems by field', async () => {
    const { result } = renderHook(() => useNewEndpoint(), { wrapper: wrapperFor(token) });
    const error = await result.current.createEndpoint({ url: 'not a url' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HooklineError);
    expect((error as HooklineError).status).toBe(422);
    expect((error as HooklineError).fieldErrors()).toHaveProperty('url');
  });

  it('reports an unreachable server as network_error', async () => {
    const wrapper = ({ children }: { children: ReactNode }) => createElement(HooklineProvider, { token, appId, serverUrl: 'http://127.0.0.1:1', children });
    const { result } = renderHook(() => useEndpoints(), { wrapper });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.error).toMatchObject({ status: 0, code: 'network_error' });
  });
});

describe('logs and catalog', () => {
  it('lists messages, their attempts, the endpoint attempts, stats and event types', async () => {
    const msg = (
      await h.http
        .post(`/api/v1/app/${appId}/msg`)
        .set(auth)
        .send({ eventType: 'invoice.paid', payload: { n: 1 } })
        .expect(202)
    ).body.id;
    const { result } = renderHook(
      () => ({
        messages: useMessages({ limit: 10 }),
        attempts: useMessageAttempts(msg),
        endpointAttempts: useEndpointMessageAttempts(seeded[1]!, { with_msg: 'true' }),
        stats: useEndpointStats(seeded[1]!),
        eventTypes: useEventTypes(),
      }),
      { wrapper: wrapperFor(token) },
    );
    await waitFor(() => expect(ids(result.current.messages.data)).toEqual([msg]));
    await waitFor(() => expect(result.current.eventTypes.data?.map((e) => e.name)).toEqual(['invoice.paid']));
    // The worker delivers to every endpoint of the application; attempts appear as it does.
    await receiver.waitFor(seeded.length, 15_000);
    await expect
      .poll(async () => {
        act(() => result.current.attempts.reload());
        await waitFor(() => expect(result.current.attempts.loading).toBe(false));
        return result.current.attempts.data?.length ?? 0;
      })
      .toBeGreaterThanOrEqual(seeded.length - 1);
    expect(result.current.attempts.data!.every((a) => a.msgId === msg)).toBe(true);
    act(() => result.current.endpointAttempts.reload());
    await waitFor(() => expect(result.current.endpointAttempts.data?.[0]?.msgId).toBe(msg));
    act(() => result.current.stats.reload());
    await waitFor(() => expect(result.current.stats.data).toBeDefined());
  });
});
