import { useEffect, useRef } from 'react';
import { javascript } from '@codemirror/lang-javascript';
import { syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { classHighlighter } from '@lezer/highlight';

// CodeMirror 6 in JavaScript mode: its own chunk, loaded only when an editor is shown (CodeEditor.tsx).
// Its colours, the syntax's too (classHighlighter's tok-* classes), come from the portal's tokens in
// styles.css, so it follows the light and dark themes and keeps their contrast.
// basicSetup binds no Tab key (no indentWithTab), so Tab and Shift+Tab leave the editor as in any field.

export interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** The editor's accessible name (it has no visible <label> of its own to point at). */
  label: string;
  /** Ids of the hint and error texts that describe it. */
  describedBy?: string | undefined;
  invalid?: boolean;
}

export default function CodeMirrorEditor({ value, onChange, label, describedBy, invalid }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    // tabindex: a contenteditable is in the tab order anyway; axe counts only an explicit one for the scrolled region.
    const attributes: Record<string, string> = { 'aria-label': label, 'aria-multiline': 'true', tabindex: '0' };
    if (describedBy) attributes['aria-describedby'] = describedBy;
    if (invalid) attributes['aria-invalid'] = 'true';
    const created = new EditorView({
      parent: host.current ?? undefined,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          javascript(),
          syntaxHighlighting(classHighlighter),
          EditorView.contentAttributes.of(attributes),
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
    // Remounted only when its attributes change; a new value arrives through the effect below.
  }, [label, describedBy, invalid]);

  // A new value from outside (a template, the saved code): replace the document.
  useEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== value) {
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} className="code-editor" />;
}
