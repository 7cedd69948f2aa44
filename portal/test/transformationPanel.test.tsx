// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { EditorView } from '@codemirror/view';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '@hookline/ui';
import { TransformationPanel } from '../src/components/TransformationPanel.tsx';
import { editorNamed } from './editorQuery.ts';
import { renderWithApi, type Call } from './fakeApi.tsx';

afterEach(cleanup);

const SLACK = {
  id: 'slack',
  name: 'Slack incoming webhook',
  description: 'Posts to Slack',
  instructions: 'Set the hooks.slack.com URL as the endpoint URL.',
  code: 'function handler(webhook) { /* slack */ return webhook; }',
};
const eventTypes = { data: [{ name: 'invoice.paid' }, { name: 'customer.created' }], done: true, iterator: null, prevIterator: null };

/** A fake API: the endpoint has no transformation yet; `onWrite` answers the PATCH and simulate calls. */
function api(onWrite: (call: Call) => unknown = () => undefined) {
  return (call: Call) => {
    if (call.method === 'get' && call.path.endsWith('/transformation')) return { code: null, enabled: false, variables: null, updatedAt: null };
    if (call.path === '/api/v1/transformation-template') return { data: [SLACK], done: true, iterator: null, prevIterator: null };
    if (call.path === '/api/v1/event-type') return eventTypes;
    return onWrite(call);
  };
}

async function openEditor() {
  fireEvent.click(await screen.findByRole('button', { name: 'Open the editor' }));
  return editorNamed('Transformation code (JavaScript)');
}

/** The text of every element the control names in aria-describedby. */
const descriptionOf = (el: Element) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('TransformationPanel', () => {
  it('is not shown without ManageTransformations, even to a token that manages endpoints', async () => {
    const calls = renderWithApi(<TransformationPanel endpoint="ep_1" subscribed={null} />, api(), ['ViewBase', 'ManageEndpoint']);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('heading', { name: 'Transformation' })).toBeNull();
    expect(calls.filter((c) => c.path.endsWith('/transformation'))).toHaveLength(1);
  });

  it('inserts a template and saves it enabled', async () => {
    const calls = renderWithApi(<TransformationPanel endpoint="ep_1" subscribed={['invoice.paid']} />, api());
    expect(await screen.findByText('No code yet.')).toBeTruthy();
    const editor = await openEditor();
    fireEvent.click(screen.getByRole('button', { name: 'Use the Slack template' }));
    expect(screen.getByText(SLACK.instructions)).toBeTruthy();
    await waitFor(() => expect(EditorView.findFromDOM(editor)?.state.doc.toString()).toBe(SLACK.code));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Run this transformation on every delivery to this endpoint' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save transformation' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(calls.find((c) => c.method === 'patch')).toEqual({
      method: 'patch',
      path: '/api/v1/app/{app}/endpoint/{endpoint}/transformation',
      body: { code: SLACK.code, enabled: true },
    });
  });

  it("shows the API's 422 on the code on the editor", async () => {
    renderWithApi(
      <TransformationPanel endpoint="ep_1" subscribed={null} />,
      api((call) => {
        if (call.method === 'patch')
          throw new ApiError(422, 'validation_error', [{ loc: ['body', 'code'], msg: 'does not compile: Unexpected token', type: 'value_error' }]);
      }),
    );
    const editor = await openEditor();
    EditorView.findFromDOM(editor)?.dispatch({ changes: { from: 0, insert: 'function handler(' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save transformation' }));
    await waitFor(() => expect(editor.getAttribute('aria-invalid')).toBe('true'));
    expect(editor.getAttribute('aria-description')).toContain('does not compile: Unexpected token');
    expect(screen.getByRole('alert').textContent).toBe('does not compile: Unexpected token');
  });

  it('runs the code on a pasted payload and shows method, URL and body; a failed run shows its reason', async () => {
    let fail = false;
    const calls = renderWithApi(
      <TransformationPanel endpoint="ep_1" subscribed={['invoice.paid']} />,
      api((call) => {
        if (call.path.endsWith('/simulate')) {
          if (fail) throw new ApiError(400, 'transformation_failed', 'handler threw: boom');
          return { method: 'PUT', url: 'https://hooks.slack.com/services/x', payload: '{"text":"*invoice.paid*"}', canceled: false };
        }
      }),
    );
    const editor = await openEditor();
    EditorView.findFromDOM(editor)?.dispatch({ changes: { from: 0, insert: 'function handler(w) { return w; }' } });
    fireEvent.change(screen.getByLabelText('Payload (JSON, optional)'), { target: { value: '{"invoiceId": "in_1"}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(await screen.findByText('https://hooks.slack.com/services/x')).toBeTruthy();
    expect(screen.getByText('PUT')).toBeTruthy();
    expect(screen.getByText(/"text": "\*invoice\.paid\*"/)).toBeTruthy();
    expect(calls.find((c) => c.path.endsWith('/simulate'))?.body).toEqual({
      code: 'function handler(w) { return w; }',
      eventType: 'invoice.paid',
      payload: { invoiceId: 'in_1' },
    });

    fail = true;
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The code failed: handler threw: boom');
  });

  it('refuses a pasted payload that is not JSON on its field, without calling the API', async () => {
    const calls = renderWithApi(<TransformationPanel endpoint="ep_1" subscribed={null} />, api());
    const editor = await openEditor();
    EditorView.findFromDOM(editor)?.dispatch({ changes: { from: 0, insert: 'function handler(w) { return w; }' } });
    fireEvent.change(screen.getByLabelText('Payload (JSON, optional)'), { target: { value: '{nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(descriptionOf(screen.getByLabelText('Payload (JSON, optional)'))).toContain('The payload is not valid JSON'));
    expect(calls.some((c) => c.path.endsWith('/simulate'))).toBe(false);
  });
});
