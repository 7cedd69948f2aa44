// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '@hookline/ui';
import { ApiProvider } from '../src/api/apiContext.tsx';
import { BasicAuthForm } from '../src/components/BasicAuthForm.tsx';
import { DeliverySettingsForm } from '../src/components/DeliverySettingsForm.tsx';
import { MtlsForm } from '../src/components/MtlsForm.tsx';
import { OauthForm } from '../src/components/OauthForm.tsx';
import { PollerForm } from '../src/components/PollerForm.tsx';
import { pollerSnippet } from '../src/components/pollerSnippet.ts';
import type { Endpoint } from '../src/api/useEndpoints.ts';

afterEach(cleanup);

const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const click = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));
const unprocessable = (...issues: [string[], string][]) =>
  new ApiError(
    422,
    'validation',
    issues.map(([loc, msg]) => ({ loc, msg, type: 'value_error' })),
  );

/** The text of what an input points at with aria-describedby: its hint and its error. */
async function errorOf(label: string | RegExp): Promise<string> {
  const input = screen.getByLabelText(label);
  await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
  return (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

describe('OauthForm', () => {
  it('sends the client credentials config: scopes split, extra parameters parsed, no secret when none was typed', async () => {
    const onSave = vi.fn(async () => undefined);
    render(<OauthForm config={null} onSave={onSave} />);
    type('Token URL', ' https://auth.example.com/token ');
    type('Client ID', 'hookline');
    type('Client secret', 's3cret');
    fireEvent.change(screen.getByLabelText('Client authentication'), { target: { value: 'clientSecretPost' } });
    type('Scopes', 'webhooks:write  events:read');
    type('Extra token parameters', 'audience=https://api.example.com\n\nresource = urn:x');
    click('Save OAuth client');
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave).toHaveBeenCalledWith({
      grantType: 'clientCredentials',
      authMethod: 'clientSecretPost',
      tokenUrl: 'https://auth.example.com/token',
      clientId: 'hookline',
      clientSecret: 's3cret',
      scopes: ['webhooks:write', 'events:read'],
      extraParams: { audience: 'https://api.example.com', resource: 'urn:x' },
    });
    // The secret is cleared once saved: it is never shown back.
    await screen.findByRole('status');
    expect(screen.getByLabelText('Client secret')).toHaveProperty('value', '');
    expect(document.body.innerHTML).not.toContain('s3cret');
  });

  it('shows a stored config without its secret, keeps the secret when none is typed, and puts each 422 on its field', async () => {
    const onSave = vi
      .fn<(body: unknown) => Promise<unknown>>()
      .mockRejectedValue(unprocessable([['body', 'tokenUrl'], 'Invalid URL'], [['body', 'extraParams', 'client_id'], 'set by Hookline']));
    render(
      <OauthForm
        config={{
          authMethod: 'clientSecretBasic',
          grantType: 'clientCredentials',
          clientId: 'hookline',
          tokenUrl: 'https://a.example/t',
          scopes: ['a'],
          extraParams: { audience: 'x' },
        }}
        onSave={onSave}
      />,
    );
    const secret = screen.getByLabelText('Client secret');
    expect(secret).toHaveProperty('value', '');
    expect(secret).toHaveProperty('type', 'password');
    expect(secret.getAttribute('placeholder')).toMatch(/^Set/);
    expect(screen.getByLabelText('Extra token parameters')).toHaveProperty('value', 'audience=x');
    type('Token URL', 'nope');
    click('Save OAuth client');
    expect(await errorOf('Token URL')).toContain('Invalid URL');
    expect(await errorOf('Extra token parameters')).toContain('set by Hookline');
    expect(onSave.mock.calls[0]?.[0]).not.toHaveProperty('clientSecret');
  });

  it('refuses an extra parameter line without a name before sending', async () => {
    const onSave = vi.fn(async () => undefined);
    render(<OauthForm config={null} onSave={onSave} />);
    type('Extra token parameters', '=x');
    click('Save OAuth client');
    expect(await errorOf('Extra token parameters')).toContain('has no name');
    expect(onSave).not.toHaveBeenCalled();
  });
});

describe('BasicAuthForm', () => {
  it('shows the username only, asks for the password on every save, and shows a 422 on its field', async () => {
    const onSave = vi.fn<(body: unknown) => Promise<unknown>>().mockRejectedValueOnce(unprocessable([['body', 'username'], 'may not contain ":"']));
    render(<BasicAuthForm username="hooks" onSave={onSave} />);
    expect(screen.getByLabelText('Username')).toHaveProperty('value', 'hooks');
    expect(screen.getByLabelText('Password')).toHaveProperty('value', '');
    click('Save basic auth');
    expect(await errorOf('Password')).toContain('Enter the password');
    expect(onSave).not.toHaveBeenCalled();
    type('Username', 'ho:oks');
    type('Password', 'pa55');
    click('Save basic auth');
    expect(await errorOf('Username')).toContain('may not contain');
    expect(onSave).toHaveBeenCalledWith({ username: 'ho:oks', password: 'pa55' });
  });
});

describe('MtlsForm', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

  it('reads an uploaded PEM into the field, sends it, and shows the API 422 on identity', async () => {
    const onSave = vi
      .fn<(body: unknown) => Promise<unknown>>()
      .mockRejectedValue(unprocessable([['body', 'identity'], 'the private key does not belong to the first certificate']));
    render(<MtlsForm config={null} onSave={onSave} />);
    const file = new File([pem], 'client.pem', { type: 'application/x-pem-file' });
    fireEvent.change(screen.getByLabelText('Upload certificate and key file'), { target: { files: [file] } });
    await waitFor(() => expect(screen.getByLabelText('Client certificate and private key (PEM)')).toHaveProperty('value', pem));
    click('Save mutual TLS');
    expect(await errorOf('Client certificate and private key (PEM)')).toContain('does not belong');
    expect(onSave).toHaveBeenCalledWith({ identity: pem.trim(), serverCaCert: null });
  });

  it('never shows the stored key, and asks for the identity again rather than silently dropping it', async () => {
    const onSave = vi.fn(async () => undefined);
    const cert = {
      subject: 'CN=client',
      issuer: 'CN=Test CA',
      serialNumber: '01',
      fingerprint256: 'AB:CD',
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: '2027-01-01T00:00:00Z',
      chainLength: 1,
    };
    render(<MtlsForm config={{ serverCaCert: 'CA-PEM', clientCertificate: cert, updatedAt: '2026-12-01T00:00:00Z' }} onSave={onSave} />);
    expect(screen.getByText('CN=client')).toBeTruthy();
    expect(screen.getByLabelText('Client certificate and private key (PEM)')).toHaveProperty('value', '');
    expect(screen.getByLabelText('Server CA certificates (PEM)')).toHaveProperty('value', 'CA-PEM');
    click('Save mutual TLS');
    expect(await errorOf('Client certificate and private key (PEM)')).toContain('replaces the whole configuration');
    expect(onSave).not.toHaveBeenCalled();
  });
});

function withApi(children: ReactNode, request: ReturnType<typeof vi.fn>) {
  const client = { request } as unknown as ApiClient;
  const session = { token: 't', appId: 'app_1', capabilities: new Set(['ManageEndpoint' as const]), expiresAt: null };
  return (
    <QueryClientProvider client={new QueryClient()}>
      <ApiProvider value={{ client, session }}>{children}</ApiProvider>
    </QueryClientProvider>
  );
}

describe('DeliverySettingsForm', () => {
  const endpoint = { id: 'ep_1', url: 'https://example.com/hook', retrySchedule: [5, 30], maxAttempts: null, timeoutMs: null } as unknown as Endpoint;

  it('patches only the delivery fields, empty meaning the default, and shows a 422 on its field', async () => {
    const request = vi
      .fn()
      .mockResolvedValueOnce(endpoint)
      .mockRejectedValueOnce(unprocessable([['body', 'timeoutMs'], "at most the installation's delivery timeout (3000 ms)"]));
    render(withApi(<DeliverySettingsForm endpoint={endpoint} />, request));
    expect(screen.getByLabelText('Retry schedule (seconds)')).toHaveProperty('value', '5, 30');
    type('Retry schedule (seconds)', '10, 60,600');
    type('Maximum attempts', '3');
    click('Save delivery settings');
    await screen.findByText('Delivery settings saved.');
    expect(request).toHaveBeenCalledWith('patch', '/api/v1/app/{app}/endpoint/{endpoint}', {
      path: { app: 'app_1', endpoint: 'ep_1' },
      body: { retrySchedule: [10, 60, 600], maxAttempts: 3, timeoutMs: null },
    });
    type('Timeout (milliseconds)', '200000');
    click('Save delivery settings');
    expect(await errorOf('Timeout (milliseconds)')).toContain('3000 ms');
  });

  it('refuses a schedule that is not whole seconds before sending', async () => {
    const request = vi.fn();
    render(withApi(<DeliverySettingsForm endpoint={endpoint} />, request));
    type('Retry schedule (seconds)', '10, 1.5');
    click('Save delivery settings');
    expect(await errorOf('Retry schedule (seconds)')).toContain('whole numbers of seconds');
    expect(request).not.toHaveBeenCalled();
  });
});

describe('PollerForm', () => {
  it('sends null for "all" event types and channels, and shows a 422 on its field', async () => {
    const onCreate = vi
      .fn<(body: unknown) => Promise<unknown>>()
      .mockResolvedValueOnce(undefined)
      .mockRejectedValueOnce(unprocessable([['body', 'uid'], 'may not start with poll_']));
    const eventTypes = [{ name: 'invoice.paid' }] as Parameters<typeof PollerForm>[0]['eventTypes'];
    render(<PollerForm eventTypes={eventTypes} onCreate={onCreate} />);
    click('Create polling endpoint');
    await waitFor(() => expect(onCreate).toHaveBeenCalledWith({ uid: null, description: '', eventTypes: null, channels: null }));
    type('Name in the URL (optional)', 'poll_x');
    fireEvent.click(screen.getByLabelText('invoice.paid'));
    type('Channels', 'eu, us');
    click('Create polling endpoint');
    expect(await errorOf('Name in the URL (optional)')).toContain('poll_');
    expect(onCreate).toHaveBeenLastCalledWith({ uid: 'poll_x', description: '', eventTypes: ['invoice.paid'], channels: ['eu', 'us'] });
  });

  it('gives a curl loop with a $TOKEN placeholder, never a token', () => {
    const snippet = pollerSnippet('https://hooks.example.com/api/v1/app/app_1/poller/poll_1');
    expect(snippet).toContain("URL='https://hooks.example.com/api/v1/app/app_1/poller/poll_1'");
    expect(snippet).toContain('Bearer $TOKEN');
    expect(snippet).toContain('iterator=$ITERATOR');
    expect(snippet).toMatch(/while true/);
  });
});
