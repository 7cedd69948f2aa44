// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { EditorView } from '@codemirror/view';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodeEditor } from '../src/components/CodeEditor.tsx';
import { editorNamed } from './editorQuery.ts';

afterEach(cleanup);

describe('CodeEditor (CodeMirror, lazy)', () => {
  it('says it is loading, then shows a labelled, described JavaScript editor with the value', async () => {
    render(<CodeEditor value="function handler(webhook) { return webhook; }" onChange={() => {}} label="Transformation code" description="Tab moves on." />);
    expect(screen.getByRole('status').textContent).toBe('Loading the editor…');
    const content = await editorNamed('Transformation code');
    expect(content.getAttribute('contenteditable')).toBe('true');
    expect(content.getAttribute('aria-description')).toBe('Tab moves on.');
    expect(content.getAttribute('aria-multiline')).toBe('true');
    expect(content.textContent).toContain('function handler(webhook)');
    // JavaScript mode: the keyword is highlighted as a token of its own.
    expect([...content.querySelectorAll('span')].some((s) => s.textContent === 'function')).toBe(true);
  });

  it('reports edits and takes a new value from outside (a template)', async () => {
    const onChange = vi.fn();
    const { rerender } = render(<CodeEditor value="a" onChange={onChange} label="Code" />);
    const content = await editorNamed('Code');
    const view = EditorView.findFromDOM(content);
    if (!view) throw new Error('no EditorView');
    view.dispatch({ changes: { from: 1, insert: 'bc' } });
    expect(onChange).toHaveBeenLastCalledWith('abc');
    rerender(<CodeEditor value="// Slack" onChange={onChange} label="Code" />);
    expect(view.state.doc.toString()).toBe('// Slack');
  });

  it('leaves Tab to the browser, so keyboard users can move on', async () => {
    render(<CodeEditor value="x" onChange={() => {}} label="Code" />);
    const content = await editorNamed('Code');
    const tab = new KeyboardEvent('keydown', { key: 'Tab', code: 'Tab', keyCode: 9, bubbles: true, cancelable: true });
    content.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(false);
    expect(EditorView.findFromDOM(content)?.state.doc.toString()).toBe('x');
  });

  it('marks itself invalid with the error in its description, in place (same view, same text)', async () => {
    const { rerender } = render(<CodeEditor value="x" onChange={() => {}} label="Code" description="Hint." />);
    const content = await editorNamed('Code');
    const view = EditorView.findFromDOM(content);
    rerender(<CodeEditor value="x" onChange={() => {}} label="Code" invalid description="does not compile Hint." />);
    await waitFor(() => expect(content.getAttribute('aria-invalid')).toBe('true'));
    expect(content.getAttribute('aria-description')).toBe('does not compile Hint.');
    expect(EditorView.findFromDOM(content)).toBe(view);
  });
});
