import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

// The editor's look from the portal's tokens (custom properties reach into its shadow root), so it
// follows the light and dark themes and the brand, and its syntax colours keep their contrast.

export const portalEditorTheme = EditorView.theme({
  '&': { backgroundColor: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border)', borderRadius: '8px', fontSize: '0.85rem' },
  '&.cm-focused': { outline: '2px solid var(--primary)', outlineOffset: '1px' },
  // CodeMirror scrolls only sideways by itself: a long code would spill over the controls below.
  '.cm-scroller': { fontFamily: 'var(--mono)', minHeight: '220px', maxHeight: '480px', overflow: 'auto' },
  '.cm-gutters': { backgroundColor: 'var(--surface-2)', color: 'var(--muted)', border: '0', borderInlineEnd: '1px solid var(--border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--primary) 8%, transparent)' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor': { borderInlineStartColor: 'var(--text)' },
});

export const portalHighlighting = syntaxHighlighting(
  HighlightStyle.define([
    { tag: [tags.keyword, tags.bool, tags.atom, tags.null], color: 'var(--link)' },
    { tag: [tags.string, tags.regexp], color: 'var(--success)' },
    { tag: tags.number, color: 'var(--warn)' },
    { tag: tags.comment, color: 'var(--muted)', fontStyle: 'italic' },
    { tag: [tags.definition(tags.variableName), tags.function(tags.definition(tags.variableName)), tags.propertyName], color: 'var(--danger)' },
  ]),
);
