import { waitFor } from '@testing-library/react';

/** The editor's contenteditable (in the host's shadow root) with this accessible name, once the lazy chunk has loaded. */
export const editorNamed = (name: string) =>
  waitFor(() => {
    const content = [...document.querySelectorAll('.code-editor')]
      .map((host) => host.shadowRoot?.querySelector<HTMLElement>('[role="textbox"]'))
      .find((el) => el?.getAttribute('aria-label') === name);
    if (!content) throw new Error(`no editor named ${name}`);
    return content;
  });
