// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@hookline/ui';
import { EndpointForm, valuesFromEndpoint } from '../src/components/EndpointForm.tsx';
import type { EventType } from '../src/api/useEventTypes.ts';

const catalog = [
  {
    name: 'invoice.paid',
    description: 'An invoice was paid',
    archived: false,
    deprecated: false,
    schemas: null,
    featureFlags: null,
    featureFlag: null,
    groupName: null,
    createdAt: '',
    updatedAt: '',
  },
] satisfies EventType[];

function renderForm(onSubmit = vi.fn(async () => undefined)) {
  render(<EndpointForm initial={valuesFromEndpoint(undefined)} eventTypes={catalog} onSubmit={onSubmit} submitLabel="Create endpoint" />);
  return onSubmit;
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Create endpoint' }));
const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

/** The error text the input points at with aria-describedby. */
function errorOf(label: string | RegExp): string {
  const input = screen.getByLabelText(label);
  expect(input.getAttribute('aria-invalid')).toBe('true');
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

afterEach(cleanup);

describe('EndpointForm validation', () => {
  it('requires a URL', async () => {
    const onSubmit = renderForm();
    submit();
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Enter the URL that should receive webhooks.');
    expect(errorOf('Endpoint URL')).toContain('Enter the URL');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('rejects an invalid URL', async () => {
    const onSubmit = renderForm();
    type('Endpoint URL', 'not a url');
    submit();
    await screen.findByRole('alert');
    expect(errorOf('Endpoint URL')).toContain('not a valid URL');
    type('Endpoint URL', 'ftp://example.com/x');
    submit();
    await waitFor(() => expect(errorOf('Endpoint URL')).toContain('https://'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('rejects a payload filter that is not valid JSON or not an object', async () => {
    const onSubmit = renderForm();
    type('Endpoint URL', 'https://example.com/hook');
    type('Payload filter (JSON)', '{"data.amount": ');
    submit();
    await screen.findByRole('alert');
    expect(errorOf('Payload filter (JSON)')).toContain('not valid JSON');
    type('Payload filter (JSON)', '[1, 2]');
    submit();
    await waitFor(() => expect(errorOf('Payload filter (JSON)')).toContain('must be a JSON object'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends a valid endpoint with its event types, channels, headers, rate and filter', async () => {
    const onSubmit = renderForm();
    type('Endpoint URL', ' https://example.com/hook ');
    type('Description', 'Production');
    fireEvent.click(screen.getByLabelText(/invoice\.paid/));
    type('Channels', 'eu, project-1');
    fireEvent.click(screen.getByRole('button', { name: 'Add header' }));
    type('Header 1 name', 'X-Api-Key');
    type('Header 1 value', 'abc');
    type('Rate limit (messages per second)', '10');
    type('Payload filter (JSON)', '{"data.amount": {"$gte": 100}}');
    submit();
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith(
      {
        url: 'https://example.com/hook',
        description: 'Production',
        eventTypes: ['invoice.paid'],
        channels: ['eu', 'project-1'],
        throttleRate: 10,
        filter: { 'data.amount': { $gte: 100 } },
      },
      { 'X-Api-Key': 'abc' },
      ['X-Api-Key'],
    );
  });

  it('keeps a credential header whose value the API hides, unless it is replaced or removed', async () => {
    const onSubmit = vi.fn(async () => undefined);
    const endpoint = { url: 'https://example.com/hook' } as Parameters<typeof valuesFromEndpoint>[0];
    render(
      <EndpointForm
        initial={valuesFromEndpoint(endpoint, { 'X-Team': 'acme' }, ['X-Api-Key', 'Cookie'])}
        eventTypes={catalog}
        onSubmit={onSubmit}
        submitLabel="Save changes"
      />,
    );
    expect(screen.getByLabelText('Header 2 name')).toHaveProperty('readOnly', true);
    expect(screen.getByLabelText('Header 2 value')).toHaveProperty('value', '');
    type('Header 3 value', 'new-cookie');
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith(expect.anything(), { 'X-Team': 'acme', Cookie: 'new-cookie' }, ['X-Team', 'X-Api-Key', 'Cookie']);
  });

  it('shows a 422 from the API on the field it concerns', async () => {
    const onSubmit = vi.fn(async () => {
      throw new ApiError(422, 'validation_error', [
        { loc: ['body', 'url'], msg: 'the URL resolves to a private address', type: 'value_error' },
        { loc: ['body', 'filter'], msg: 'unknown operator $foo', type: 'value_error' },
      ]);
    });
    renderForm(onSubmit);
    type('Endpoint URL', 'https://internal.example.com/hook');
    type('Payload filter (JSON)', '{"a": {"$foo": 1}}');
    submit();
    await waitFor(() => expect(errorOf('Endpoint URL')).toContain('the URL resolves to a private address'));
    expect(errorOf('Payload filter (JSON)')).toContain('unknown operator $foo');
  });

  it('shows a non-field API error above the form', async () => {
    renderForm(
      vi.fn(async () => {
        throw new ApiError(403, 'forbidden', 'Your token may not manage endpoints');
      }),
    );
    type('Endpoint URL', 'https://example.com/hook');
    submit();
    expect((await screen.findByRole('alert')).textContent).toContain('Your token may not manage endpoints');
  });
});
