import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import type { ApiClient } from '@hookline/ui';
import { ApiProvider } from '../src/api/apiContext.tsx';
import type { Capability } from '../src/api/session.ts';

// Components under test against a fake API client: each call is recorded and answered by `answer`.

export interface Call {
  method: string;
  path: string;
  body?: unknown;
}

export function renderWithApi(ui: ReactNode, answer: (call: Call) => unknown, capabilities: Capability[] = ['ViewBase', 'ManageEndpoint', 'ManageTransformations']) {
  const calls: Call[] = [];
  const request = vi.fn(async (method: string, path: string, opts: { body?: unknown } = {}) => {
    const call = { method, path, body: opts.body };
    calls.push(call);
    return answer(call);
  });
  const client = { request } as unknown as ApiClient;
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const session = { token: 't', appId: 'app_1', capabilities: new Set(capabilities), expiresAt: null };
  render(
    <QueryClientProvider client={queries}>
      <ApiProvider value={{ client, session }}>{ui}</ApiProvider>
    </QueryClientProvider>,
  );
  return calls;
}
