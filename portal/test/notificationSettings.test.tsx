// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '@hookline/ui';
import { NotificationSettings } from '../src/components/NotificationSettings.tsx';
import { renderWithApi, type Call } from './fakeApi.tsx';

afterEach(cleanup);

const STORED = {
  emails: ['ops@customer.test'],
  chatWebhookUrl: 'https://hooks.slack.com/…',
  chatKind: 'slack',
  thresholds: { consecutiveFailures: 5, failureRate: { percent: 50, windowMinutes: 10 } },
  minIntervalMinutes: 60,
  events: ['failing', 'disabled', 'recovered'],
  updatedAt: '2026-12-01T10:00:00Z',
};

function api(onWrite: (call: Call) => unknown) {
  return (call: Call) => (call.method === 'get' ? STORED : onWrite(call));
}

const descriptionOf = (el: Element) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('NotificationSettings', () => {
  it('saves the form as the API names it, keeping the stored chat URL and failure rate', async () => {
    const calls = renderWithApi(
      <NotificationSettings />,
      api((call) => ({ ...STORED, ...(call.body as object), chatWebhookUrl: STORED.chatWebhookUrl })),
    );
    const emails = await screen.findByLabelText('Email addresses');
    expect((emails as HTMLTextAreaElement).value).toBe('ops@customer.test');
    expect(screen.getByText('Stored: https://hooks.slack.com/… (hidden). Leave empty to keep it, or enter a new one.')).toBeTruthy();
    fireEvent.change(emails, { target: { value: 'ops@customer.test\noncall@customer.test' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'recovers' }));
    fireEvent.change(screen.getByLabelText('Failed attempts in a row before a notice'), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(calls.find((c) => c.method === 'put')?.body).toEqual({
      emails: ['ops@customer.test', 'oncall@customer.test'],
      chatKind: 'slack',
      thresholds: { consecutiveFailures: 3, failureRate: { percent: 50, windowMinutes: 10 } },
      minIntervalMinutes: 60,
      events: ['failing', 'disabled'],
    });
  });

  it('sends a new chat URL, or null to remove it', async () => {
    const calls = renderWithApi(
      <NotificationSettings />,
      api(() => STORED),
    );
    fireEvent.change(await screen.findByLabelText('Chat webhook URL (Slack, Discord or Microsoft Teams)'), { target: { value: 'https://discord.com/api/webhooks/1/x' } });
    fireEvent.change(screen.getByLabelText('Chat service'), { target: { value: 'discord' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'put')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'put')?.body).toMatchObject({ chatWebhookUrl: 'https://discord.com/api/webhooks/1/x', chatKind: 'discord' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Remove the stored chat webhook' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'put')).toHaveLength(2));
    const body = calls.filter((c) => c.method === 'put')[1]?.body as Record<string, unknown>;
    expect(body.chatWebhookUrl).toBeNull();
    expect('chatKind' in body).toBe(false);
  });

  it('shows each 422 from the API on its own field', async () => {
    renderWithApi(
      <NotificationSettings />,
      api(() => {
        throw new ApiError(422, 'validation_error', [
          { loc: ['body', 'emails', 1], msg: 'Invalid email address', type: 'value_error' },
          { loc: ['body', 'chatWebhookUrl'], msg: 'must be an https URL', type: 'value_error' },
          { loc: ['body', 'thresholds'], msg: 'give consecutiveFailures, failureRate or both', type: 'value_error' },
        ]);
      }),
    );
    fireEvent.change(await screen.findByLabelText('Email addresses'), { target: { value: 'ops@customer.test\nnot-an-email' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    const emails = screen.getByLabelText('Email addresses');
    await waitFor(() => expect(emails.getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(emails)).toContain('Invalid email address');
    expect(descriptionOf(screen.getByLabelText('Chat webhook URL (Slack, Discord or Microsoft Teams)'))).toContain('must be an https URL');
    expect(descriptionOf(screen.getByLabelText('Failed attempts in a row before a notice'))).toContain('give consecutiveFailures');
  });

  it('sends a test notice and shows how each target went', async () => {
    renderWithApi(
      <NotificationSettings />,
      api(() => ({
        results: [
          { target: 'email', to: 'ops@customer.test', ok: true },
          { target: 'chat', to: 'slack', ok: false, error: 'HTTP 500' },
        ],
      })),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Send a test notice' }));
    const outcome = await screen.findByText('Email to ops@customer.test');
    expect(outcome.closest('li')?.textContent).toContain('Sent');
    const chat = screen.getByText('Chat webhook (slack)').closest('li');
    expect(chat?.textContent).toContain('Failed');
    expect(chat?.textContent).toContain('HTTP 500');
  });

  it('shows the settings read-only to a token that may not manage endpoints', async () => {
    renderWithApi(
      <NotificationSettings />,
      api(() => undefined),
      ['ViewBase'],
    );
    // A disabled fieldset disables every control in it (the browser's rule; happy-dom only keeps the attribute).
    expect((await screen.findByLabelText('Email addresses')).closest('fieldset')?.hasAttribute('disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send a test notice' })).toBeNull();
  });
});
