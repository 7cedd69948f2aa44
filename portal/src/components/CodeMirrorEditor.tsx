import { useEffect, useRef } from 'react';
import { javascript } from '@codemirror/lang-javascript';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { Compartment, EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { portalEditorTheme, portalHighlighting } from './codeEditorTheme.ts';

// CodeMirror 6 in JavaScript mode: its own chunk, loaded only when an editor is shown (CodeEditor.tsx).
// It lives in a shadow root: there CodeMirror puts its styles in a constructed stylesheet, whereas in
// the document it would add a <style> element, which the portal's CSP (no inline style) blocks.
// The editing basics only (not the codemirror package's basicSetup, whose completion, search, folding
// and lint doubled the chunk); no Tab binding (no indentWithTab), so Tab leaves the editor as in any field.
const EDITING = [
  lineNumbers(),
  highlightActiveLineGutter(),
  history(),
  drawSelection(),
  indentOnInput(),
  bracketMatching(),
  highlightActiveLine(),
  keymap.of([...defaultKeymap, ...historyKeymap]),
];

export interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** The editor's accessible name (it has no visible <label> of its own to point at). */
  label: string;
  /** Its hint and error as text: ids of the page do not reach into the shadow root, so no aria-describedby. */
  description?: string | undefined;
  invalid?: boolean;
}

function contentAttributes({ label, description, invalid }: Pick<CodeEditorProps, 'label' | 'description' | 'invalid'>) {
  // tabindex: a contenteditable is in the tab order anyway; axe counts only an explicit one for the scrolled region.
  const attributes: Record<string, string> = { 'aria-label': label, 'aria-multiline': 'true', tabindex: '0' };
  if (description) attributes['aria-description'] = description;
  if (invalid) attributes['aria-invalid'] = 'true';
  return EditorView.contentAttributes.of(attributes);
}

export default function CodeMirrorEditor({ value, onChange, label, description, invalid }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const attributes = useRef(new Compartment());
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const initial = useRef({ value, label, description, invalid });

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    const created = new EditorView({
      parent: shadow,
      root: shadow,
      state: EditorState.create({
        doc: initial.current.value,
        extensions: [
          EDITING,
          javascript(),
          portalHighlighting,
          portalEditorTheme,
          attributes.current.of(contentAttributes(initial.current)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
  }, []);

  // New name, hint or error: reconfigured in place, keeping the undo history and the focus.
  useEffect(() => {
    view.current?.dispatch({ effects: attributes.current.reconfigure(contentAttributes({ label, description, invalid })) });
  }, [label, description, invalid]);

  // A new value from outside (a template, the saved code): replace the document.
  useEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== value) {
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
    }
  }, [value]);

  // Code reads left to right in every language, an Arabic page included.
  return <div ref={host} className="code-editor" dir="ltr" />;
}
