import { lazy, Suspense } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { CodeEditorProps } from './CodeMirrorEditor.tsx';

// CodeMirror is a few hundred KB: its chunk loads when the first editor is shown, never with the portal.
const CodeMirrorEditor = lazy(() => import('./CodeMirrorEditor.tsx'));

/** A JavaScript editor; until CodeMirror has loaded, a note says it is loading. */
export function CodeEditor(props: CodeEditorProps) {
  const { t } = useI18n();
  return (
    <Suspense
      fallback={
        <p className="muted" role="status">
          {t('transform.editorLoading')}
        </p>
      }
    >
      <CodeMirrorEditor {...props} />
    </Suspense>
  );
}
